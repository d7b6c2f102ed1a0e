"""Render one page of an .ofd with a JavaScript OFD renderer in headless Chromium, for
looking at it beside the PDF (issue 20's visual check; not part of the test suite).

    python scripts/ofd-screenshot.py outputs/nanan-2022-22-notice.ofd 1 ofd-page1.png
    pdftoppm -png -r 101.6 -f 1 -l 1 outputs/nanan-2022-22-notice.pdf pdf-page1   # the same scale

The renderer is ofd.js 0.2.6 from npm (it renders offline and needs no licence key), fetched
with `npm pack` into ~/.cache/gongwen/ and never copied into the repository. It draws the
text with the system fonts named by each Font's FamilyName (the fonts the PDF embeds are
the installed ones, so they are found). The page is served from 127.0.0.1 by a server this
script starts and stops, since Chromium refuses XHR on file:// URLs.
Needs: chromium (Debian package `chromium`), npm.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
from pathlib import Path

OFDJS = "ofd.js@0.2.6"
CACHE = Path.home() / ".cache" / "gongwen" / "ofd.js-0.2.6"
# ofd.js draws at ((screen width - 10) / page width in mm) px per mm, rounded to 0.1: ask
# for a whole 4 px/mm, so the PDF to compare with is `pdftoppm -r 101.6` (4 × 25.4 dpi).
PX_PER_MM = 4
PAGE_MM = (210, 297)
PAGE_HTML = """<!doctype html>
<meta charset="utf-8">
<style>body {{ margin: 0; background: #fff; }} #page > div {{ margin: 0 !important; }}</style>
<script src="ofd.umd.min.js"></script>
<div id="page"></div>
<script>
ofd.parseOfdDocument({{
  ofd: "document.ofd",
  success(res) {{
    const divs = ofd.renderOfd({screen}, res[0]);
    document.getElementById("page").appendChild(divs[{index}]);
  }},
  fail(error) {{ document.body.innerText = "ofd.js: " + error; }}
}});
</script>
"""


def renderer() -> Path:
    """ofd.js's browser bundle, fetched once with npm."""
    bundle = CACHE / "package" / "lib" / "ofd.umd.min.js"
    if not bundle.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", OFDJS, "--pack-destination", str(CACHE)], check=True,
                       capture_output=True)
        with tarfile.open(next(CACHE.glob("ofd.js-*.tgz"))) as archive:
            archive.extractall(CACHE, filter="data")
    return bundle


def screenshot(ofd_file: Path, page: int, target: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("需要 chromium（Debian：apt-get install chromium）")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copy(renderer(), root / "ofd.umd.min.js")
        shutil.copy(ofd_file, root / "document.ofd")
        (root / "index.html").write_text(PAGE_HTML.format(screen=PX_PER_MM * PAGE_MM[0] + 10, index=page - 1), encoding="utf-8")
        handler = functools.partial(QuietHandler, directory=folder)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            width, height = (PX_PER_MM * side for side in PAGE_MM)
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            f"--user-data-dir={root / 'profile'}", f"--window-size={width},{height}",
                            "--virtual-time-budget=20000", f"--screenshot={target.resolve()}",
                            f"http://127.0.0.1:{server.server_address[1]}/index.html"],
                           check=True, capture_output=True, timeout=120)
        finally:
            server.shutdown()
            server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the library's name
        pass


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("用法：python scripts/ofd-screenshot.py 文件.ofd 页码 截图.png")
    screenshot(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
