"""Illustrative stand-ins for the 綦江 feature's photos (we do not have the originals): `python scripts/make-example-images.py` redraws plans/images/."""
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

W, H = 1200, 800
OUT = Path(__file__).resolve().parent.parent / 'plans' / 'images'
FONT = Path('/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc')

def vgrad(d, top, bottom, y0, y1):
    for y in range(y0, y1):
        t = (y - y0) / max(1, y1 - y0 - 1)
        c = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom))
        d.line([(0, y), (W, y)], fill=c)

def caption(img, text):
    if not FONT.exists():
        return
    d = ImageDraw.Draw(img)
    f = ImageFont.truetype(str(FONT), 22)
    label = f'示意图（非原照片）：{text}'
    x0, y0, x1, y1 = d.textbbox((0, 0), label, font=f)
    pad = 10
    d.rectangle([16, H - 16 - (y1 - y0) - 2 * pad, 16 + (x1 - x0) + 2 * pad, H - 16], fill=(0, 0, 0))
    d.text((16 + pad - x0, H - 16 - pad - (y1 - y0) - y0), label, font=f, fill=(255, 255, 255))

def tree(d, x, y, s=1.0):
    d.rectangle([x - 6 * s, y - 40 * s, x + 6 * s, y], fill=(110, 80, 50))
    d.ellipse([x - 36 * s, y - 110 * s, x + 36 * s, y - 30 * s], fill=(60, 140, 70))

def building(d, x0, y0, x1, y1, wall, win=(170, 205, 235), rows=None, cols=None):
    d.rectangle([x0, y0, x1, y1], fill=wall)
    rows = rows or max(1, (y1 - y0 - 30) // 55)
    cols = cols or max(1, (x1 - x0 - 20) // 45)
    cw = (x1 - x0) / cols; rh = (y1 - y0 - 20) / rows
    for r in range(rows):
        for c in range(cols):
            wx = x0 + c * cw + cw * 0.25; wy = y0 + 15 + r * rh + rh * 0.2
            d.rectangle([wx, wy, wx + cw * 0.5, wy + rh * 0.5], fill=win)

def school():
    img = Image.new('RGB', (W, H)); d = ImageDraw.Draw(img)
    vgrad(d, (120, 175, 230), (215, 235, 250), 0, 560)
    vgrad(d, (150, 190, 120), (110, 160, 90), 560, H)
    d.rectangle([0, 600, W, 680], fill=(190, 70, 60))           # running track
    for x in range(0, W, 120):
        d.line([(x, 640), (x + 80, 640)], fill=(245, 245, 245), width=3)
    building(d, 260, 250, 940, 560, (235, 225, 205))
    d.rectangle([540, 430, 660, 560], fill=(120, 90, 70))         # door
    d.rectangle([250, 230, 950, 252], fill=(180, 60, 50))         # roof line
    d.line([(1030, 560), (1030, 260)], fill=(90, 90, 90), width=6) # flag pole
    d.polygon([(1033, 265), (1120, 290), (1033, 315)], fill=(220, 30, 30))
    for x in (80, 170, 1100, 1160):
        tree(d, x, 580)
    caption(img, '新建的綦江区实验小学')
    img.save(OUT / 'qijiang-shiyan-xiaoxue.jpg', quality=82, optimize=True)

def campus():
    img = Image.new('RGB', (W, H)); d = ImageDraw.Draw(img)
    vgrad(d, (150, 200, 240), (235, 240, 245), 0, 520)
    d.polygon([(0, 470), (200, 330), (420, 450), (650, 300), (900, 440), (1200, 340), (1200, 520), (0, 520)], fill=(100, 145, 110))
    vgrad(d, (170, 170, 165), (140, 140, 135), 520, H)
    building(d, 80, 300, 380, 620, (225, 230, 235))
    building(d, 420, 220, 760, 620, (240, 235, 225))
    building(d, 800, 330, 1120, 620, (215, 225, 235))
    d.rectangle([0, 620, W, 650], fill=(200, 200, 195))
    for x in range(40, W, 140):
        tree(d, x, 700, 0.8)
    caption(img, '重庆移通学院綦江校区')
    img.save(OUT / 'qijiang-yitong-xiaoqu.jpg', quality=82, optimize=True)

def children(d, y, n, x0, x1, rnd):
    step = (x1 - x0) / n
    for i in range(n):
        x = x0 + step * (i + 0.5)
        shirt = rnd.choice([(245, 245, 245), (60, 90, 170)])
        d.rounded_rectangle([x - 22, y, x + 22, y + 80], 10, fill=shirt)
        d.polygon([(x - 14, y + 2), (x + 14, y + 2), (x, y + 26)], fill=(210, 30, 30))   # red scarf
        d.ellipse([x - 18, y - 40, x + 18, y - 4], fill=(240, 200, 170))
        d.chord([x - 19, y - 42, x + 19, y - 10], 180, 360, fill=(40, 30, 30))

def activity():
    img = Image.new('RGB', (W, H), (200, 30, 35)); d = ImageDraw.Draw(img)
    for _ in range(0, 1):
        pass
    for cx, cy, r in [(150, 120, 50), (1050, 110, 40), (600, 90, 30)]:
        pts = []
        import math
        for k in range(10):
            a = -math.pi / 2 + k * math.pi / 5; rr = r if k % 2 == 0 else r * 0.4
            pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
        d.polygon(pts, fill=(255, 215, 0))
    d.rectangle([0, 560, W, H], fill=(150, 20, 25))             # stage
    d.rectangle([0, 550, W, 565], fill=(230, 180, 60))
    children(d, 440, 9, 80, 1120, random.Random(20))
    caption(img, '组织开展“喜迎二十大 童心永向党”活动')
    img.save(OUT / 'qijiang-xiying-ershida.png', optimize=True)

def ceremony():
    img = Image.new('RGB', (W, H), (245, 240, 230)); d = ImageDraw.Draw(img)
    d.rectangle([100, 60, 1100, 360], fill=(190, 25, 30))        # backdrop
    d.rectangle([120, 80, 1080, 340], outline=(240, 200, 80), width=6)
    d.rectangle([0, 360, W, 440], fill=(120, 30, 35))             # stage front
    d.rectangle([540, 250, 660, 360], fill=(150, 100, 60))        # podium
    d.ellipse([580, 190, 620, 230], fill=(240, 200, 170))
    d.rectangle([575, 230, 625, 260], fill=(40, 40, 60))
    rnd = random.Random(7)
    for row, y in enumerate(range(500, 800, 70)):
        for x in range(30 + (row % 2) * 35, W, 70):
            c = rnd.choice([(40, 35, 35), (60, 45, 35), (30, 30, 40)])
            d.ellipse([x, y, x + 44, y + 44], fill=c)
            d.rectangle([x - 4, y + 40, x + 48, y + 70], fill=rnd.choice([(60, 90, 170), (230, 230, 230)]))
    caption(img, '綦江区2021-2022学年度“新时代好少年”发布仪式')
    img.save(OUT / 'qijiang-hao-shaonian.png', optimize=True)

OUT.mkdir(parents=True, exist_ok=True)
school(); campus(); activity(); ceremony()
for p in sorted(OUT.iterdir()):
    print(p.name, p.stat().st_size)
