"""Plans nobody tuned the layout for: other districts, 1 to 4 issuers with names of 6 to 20
characters, titles of 10 to 120 characters, body text mixing Chinese with numbers, Latin
words, percentages, ranges, quotes and 《》. Built from a seed, so every case is the same
from run to run and a failing one can be rendered again by its number."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

DISTRICTS = ["大渡口区", "北碚区", "巫溪县", "秀山土家族苗族自治县", "两江新区", "万盛经开区", "石柱土家族自治县"]
ISSUER_FORMS = [
    "{d}教育委员会",
    "中共重庆市{d}委教育工作委员会",
    "重庆市{d}人民政府教育督导委员会办公室",
    "共青团重庆市{d}委员会",
    "{d}科学技术协会",
    "{d}体育局",
]
TITLE_PARTS = [
    "关于做好{y}年秋季学期中小学校开学工作的通知",
    "关于印发《{d}推进义务教育优质均衡发展三年行动计划（{y}—{z}年）》的通知",
    "关于开展第{n}届“书香校园”读书节暨5G+智慧教育应用案例征集活动的通知",
    "关于进一步加强中小学生心理健康教育和校园安全风险防控工作的通知",
    "关于转发《重庆市教育委员会关于做好{y}年普通高中学业水平考试报名工作的通知》的通知",
    "{y}年全区教育工作要点",
    "关于表扬{y}年度教育系统先进集体和先进个人的决定",
]
SENTENCES = [
    "各学校要在{y}年9月1日前完成校舍安全排查，整改率达到100%。",
    "全区新建、改扩建学校{n}所，新增学位{k}个，大班额比例控制在5%以内。",
    "培育区级名师工作室3—5个、骨干教师{k}名，其中“双师型”教师占比不低于60%。",
    "依托GPS定位和5G网络，建设覆盖全部校车的AI智能监管平台（网址：https://edu.example.gov.cn）。",
    "认真学习《中华人民共和国教育法》《中小学教师职业道德规范（2008年修订）》等法律法规。",
    "组织开展“清廉学校”建设，做到“三个不放过”，确保不发生一起重大安全责任事故。",
    "经费按照生均{n}00元/年的标准拨付，由区财政局、区教委共同负责绩效评价。",
    "请各单位于{y}年12月31日前将总结材料（含电子版）报送区教委办公室，联系人：王小明，电话：023-6888{n}{n}{n}。",
    "推进STEM教育、PBL项目式学习和“互联网+教育”大平台应用，覆盖率达到95%以上。",
    "开展第{n}届中小学生运动会，设田径、游泳、3×3篮球等{k}个项目。",
    "坚持以学生为中心，落实“双减”政策，作业总量和时长得到有效控制。",
    "各责任单位要按月报送进展情况，对工作推进不力的，予以通报批评。",
]
SECTION_TITLES = ["坚持党建引领，加强教育系统党的建设", "聚焦立德树人，提升教育教学质量",
                  "深化综合改革，激发教育发展活力", "强化条件保障，办好人民满意的教育"]
UNITS = ["办公室", "组织人事科", "基础教育科", "计划财务科", "安全稳定科", "教师进修学院", "各中小学校"]


def _text(rng: random.Random, sentences: int) -> str:
    values = {"y": rng.choice([2024, 2025, 2026]), "z": 2027, "n": rng.randint(2, 9),
              "k": rng.choice([12, 150, 2400, 36000])}
    return "".join(rng.choice(SENTENCES).format(**values) for _ in range(sentences))


def _issuers(rng: random.Random, count: int) -> list[str]:
    district = rng.choice(DISTRICTS)
    return [form.format(d=district) for form in rng.sample(ISSUER_FORMS, count)]


def _title(rng: random.Random, length: int) -> str:
    values = {"y": 2025, "z": 2027, "n": rng.randint(2, 19), "d": rng.choice(DISTRICTS)}
    title = rng.choice(TITLE_PARTS[:5]).format(**values)
    while len(title) < length:
        title = title.replace("的通知", "和" + rng.choice(["校园食品安全", "教师队伍建设", "课后服务"]) + "工作的通知", 1)
        if "的通知" not in title:
            break
    return title[:length] if len(title) > length and not title.endswith("通知") else title


def notice(case: int) -> dict:
    rng = random.Random(case)
    count = 1 + case % 4
    plan: dict = {
        "type": "notice",
        "issuers": _issuers(rng, count),
        "title": _title(rng, rng.choice([12, 30, 60, 90, 120])),
        "to": ["各中小学校", "各幼儿园", "局属各单位"][: 1 + case % 3],
        "body": "\n\n".join(_text(rng, rng.randint(1, 6)) for _ in range(rng.randint(2, 9))),
        "seal": case % 3 != 0,
        "date": f"2025-{1 + case % 12:02d}-{1 + case % 27:02d}",
    }
    if case % 5 != 4:
        plan["number"] = {"code": "渡教发", "year": 2025, "serial": 1 + case}
    if case % 4 == 1:
        plan["attachments"] = [{"title": "学校安全工作责任清单"}, {"title": "2025年秋季学期开学工作检查情况统计表"}]
    if case % 2:
        plan["cc"] = ["区委办公室", "区政府办公室"]
        plan["printed_by"] = plan["issuers"][0]
        plan["printed_on"] = plan["date"]
    return plan


def work_points(case: int) -> dict:
    rng = random.Random(1000 + case)
    sections = []
    for title in rng.sample(SECTION_TITLES, rng.randint(2, 4)):
        items = [{"title": rng.choice(SENTENCES).format(y=2025, z=2027, n=3, k=12).rstrip("。"),
                  "text": _text(rng, rng.randint(1, 5)),
                  "lead": rng.sample(UNITS[:6], 1), "units": rng.sample(UNITS, 2)}
                 for _ in range(rng.randint(1, 5))]
        sections.append({"title": title, "items": items})
    return {"type": "work_points", "issuers": _issuers(rng, 1 + case % 2),
            "title": f"{rng.choice(DISTRICTS)}2025年教育工作要点", "preamble": _text(rng, 3),
            "sections": sections}


def bulletin(case: int, images: list[str]) -> dict:
    rng = random.Random(2000 + case)
    articles = []
    for number in range(rng.randint(2, 5)):
        article: dict = {"title": _title(rng, 14).replace("关于", "").replace("的通知", ""),
                         "body": "\n\n".join(_text(rng, rng.randint(1, 5)) for _ in range(rng.randint(2, 6)))}
        if images and number % 2 == 0:
            article["images"] = [{"file": images[(case + number) % len(images)], "caption": "学生参加活动（示意图）"}]
        articles.append(article)
    return {"type": "bulletin", "name": f"{rng.choice(DISTRICTS)}教育简报", "issue": 3 + case,
            "total_issue": 40 + case, "editor": "区教育委员会办公室", "date": "2025-06-30", "articles": articles}


def write(plan: dict, folder: Path, name: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
