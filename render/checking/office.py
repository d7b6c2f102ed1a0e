"""A .docx printed to PDF by LibreOffice headless, as a reader's office suite would print it.

Each conversion gets its own user profile (LibreOffice locks its profile: two conversions
sharing one block or fail) and a timeout (a hostile file must not hang the checker).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path


class OfficeError(RuntimeError):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def office_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def print_to_pdf(sources: Sequence[Path], out_dir: Path, timeout: float) -> dict[Path, Path]:
    """PDFs of `sources` in `out_dir`, in one LibreOffice run; a source missing from the
    result could not be converted. `timeout` is per file."""
    binary = office_binary()
    if binary is None:
        raise OfficeError("未安装 LibreOffice（soffice），无法把 Word 文件排版成打印页面")
    if not sources:
        return {}
    names = [source.stem for source in sources]
    if len(set(names)) != len(names):
        # Same stem in two folders: one run each, so one PDF cannot overwrite the other.
        each: dict[Path, Path] = {}
        for index, source in enumerate(sources):
            each.update(print_to_pdf([source], out_dir / str(index), timeout))
        return each
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gongwen-office-") as profile_dir:
        command = [binary, f"-env:UserInstallation={Path(profile_dir).as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(out_dir), *(str(source) for source in sources)]
        # Its own session: `soffice` is a script that starts soffice.bin, and a timeout has
        # to end both (killing the script alone leaves the office running).
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            process.wait(timeout=timeout * len(sources))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise OfficeError(f"LibreOffice 在 {timeout * len(sources):.0f} 秒内没有完成转换") from None
    converted = {source: out_dir / f"{source.stem}.pdf" for source in sources if (out_dir / f"{source.stem}.pdf").exists()}
    missing = [source for source in sources if source not in converted]
    if missing and len(sources) > 1:
        # One broken file can end a run early: the others get a run each.
        for source in missing:
            converted.update(print_to_pdf([source], out_dir, timeout))
    return converted
