"""`gongwen serve`'s live check and preview of unsaved drafts, and its vendored htmx,
through Starlette's TestClient."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from starlette.testclient import TestClient

from render.serve.app import STATIC, create_app
from serving import NOTICE, write_plans


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    folder = write_plans(tmp_path / "plans")
    with TestClient(create_app(folder), base_url="http://127.0.0.1") as test_client:
        yield test_client, folder


def _pictures(fragment: str) -> list[str]:
    return re.findall(r'<img src="(/draft/[0-9a-f]{64}/page/\d+\.png)"', fragment)


def test_htmx_is_served_from_the_package_and_the_page_loads_it(client: tuple[TestClient, Path]) -> None:
    test_client, _ = client
    response = test_client.get("/static/htmx.min.js")
    assert response.status_code == 200
    assert response.content == (STATIC / "htmx.min.js").read_bytes()
    readme = (STATIC / "README.md").read_text(encoding="utf-8")
    assert "htmx.org@2.0.11" in readme and "Zero-Clause BSD" in (STATIC / "htmx-LICENSE").read_text()
    page = test_client.get("/plans/bishan-notice.yaml").text
    assert '<script src="/static/htmx.min.js"' in page
    assert "https://" not in page.split("<main>")[0]  # nothing fetched from elsewhere
    assert 'hx-trigger="input changed delay:400ms"' in page and 'hx-post="/plans/bishan-notice.yaml/draft"' in page


def test_draft_of_the_textarea_is_checked_and_previewed_without_writing(client: tuple[TestClient, Path]) -> None:
    test_client, folder = client
    before = (folder / "bishan-notice.yaml").read_bytes()
    draft = NOTICE.replace("校园安全隐患排查整治工作的通知", "校园食品安全专项检查工作的通知")
    response = test_client.post("/plans/bishan-notice.yaml/draft", data={"yaml": draft})
    assert response.status_code == 200
    assert 'id="diagnostics-none"' in response.text and 'hx-swap-oob="true"' in response.text
    pictures = _pictures(response.text)
    assert pictures, response.text
    key = hashlib.sha256(draft.encode("utf-8")).hexdigest()
    assert pictures[0] == f"/draft/{key}/page/1.png"
    png = test_client.get(pictures[0])
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).width > 800
    assert (folder / "bishan-notice.yaml").read_bytes() == before


def test_draft_errors_show_validate_codes_and_go_away(client: tuple[TestClient, Path]) -> None:
    test_client, _ = client
    bad = NOTICE.replace("成文日期: 2026-03-02", "成文日期: 2026-02-30")
    response = test_client.post("/plans/bishan-notice.yaml/draft", data={"yaml": bad})
    assert response.status_code == 200
    api = test_client.post("/api/validate", content=bad.encode("utf-8")).json()["diagnostics"]
    assert api, "the bad date is an error for gongwen validate too"
    for diagnostic in api:
        assert diagnostic["code"] in response.text and diagnostic["message"] in response.text
    assert not _pictures(response.text) and "草稿有错误" in response.text
    good = test_client.post("/plans/bishan-notice.yaml/draft", data={"yaml": NOTICE})
    assert 'id="diagnostics-none"' in good.text and _pictures(good.text)


def test_draft_of_the_form_applies_its_values_to_the_file(client: tuple[TestClient, Path]) -> None:
    test_client, folder = client
    before = (folder / "bishan-notice.yaml").read_bytes()
    response = test_client.post("/plans/bishan-notice.yaml/draft", data={"title": "", "version": "x"})
    assert response.status_code == 200
    assert "标题" in response.text and not _pictures(response.text)
    response = test_client.post("/plans/bishan-notice.yaml/draft",
                                data={"title": "关于璧山区中小学校开展防溺水专题教育的通知"})
    assert _pictures(response.text)
    assert (folder / "bishan-notice.yaml").read_bytes() == before


def test_unknown_or_malformed_drafts_are_404(client: tuple[TestClient, Path]) -> None:
    test_client, _ = client
    assert test_client.get(f"/draft/{'0' * 64}/page/1.png").status_code == 404
    assert test_client.get("/draft/..%2f..%2fetc/page/1.png").status_code == 404
    response = test_client.post("/plans/bishan-notice.yaml/draft", data={"yaml": NOTICE})
    picture = _pictures(response.text)[0]
    assert test_client.get(picture.replace("/page/1.png", "/page/9.png")).status_code == 404


def test_draft_from_another_site_is_refused(client: tuple[TestClient, Path]) -> None:
    test_client, _ = client
    response = test_client.post("/plans/bishan-notice.yaml/draft", data={"yaml": NOTICE},
                                headers={"Origin": "http://evil.example"})
    assert response.status_code == 403


def _beside(fragment: str, field: str) -> str:
    match = re.search(rf'<div class="field-messages" id="msg-{field}"[^>]*>(.*?)</div>', fragment, re.S)
    assert match, f"no messages place for {field}"
    return match.group(1)


def _draft(test_client: TestClient, text: str) -> tuple[dict[str, dict[str, object]], str]:
    api = test_client.post("/api/validate", content=text.encode("utf-8")).json()["diagnostics"]
    fragment = test_client.post("/plans/bishan-notice.yaml/draft", data={"yaml": text}).text
    return {str(d["code"]): d for d in api}, fragment


def test_draft_messages_stand_beside_their_fields(client: tuple[TestClient, Path]) -> None:
    test_client, _ = client
    api, fragment = _draft(test_client, NOTICE.replace("成文日期: 2026-03-02", "成文日期: 2026-02-30"))
    date = _beside(fragment, "date")
    assert str(api["E402"]["message"]) in date and 'data-line="14"' in date
    assert _beside(fragment, "issuers").strip() == ""
    assert 'id="diagnostics-placed"' in fragment
    # Each place is swapped in by htmx beside its field, out of band.
    assert fragment.count('hx-swap-oob="true"') == fragment.count('class="field-messages"') + 1

    missing = NOTICE.replace("标题: 关于开展", "# 标题: 关于开展").replace("类型: 通知", "类型: 通知\n颜色: 红色")
    api, fragment = _draft(test_client, missing)
    assert "E203" in api, api
    assert str(api["E203"]["message"]) in _beside(fragment, "title")  # beside the field that would hold it
    listed = fragment.split('<div class="field-messages"')[0]
    unknown = [d for code, d in api.items() if code != "E203"]
    assert unknown and all(str(d["message"]) in listed for d in unknown)  # 颜色 has no field

    good = test_client.post("/plans/bishan-notice.yaml/draft", data={"yaml": NOTICE}).text
    assert _beside(good, "date").strip() == "" and _beside(good, "title").strip() == ""
    assert 'id="diagnostics-none"' in good


def test_saved_plan_page_places_messages_under_the_form_fields(client: tuple[TestClient, Path]) -> None:
    test_client, folder = client
    (folder / "bishan-notice.yaml").write_text(NOTICE.replace("教发〔2026〕17号", "教发〔2026〕"), encoding="utf-8")
    page = test_client.get("/plans/bishan-notice.yaml").text
    number = _beside(page, "number")
    assert "E300" in number and "璧山教发〔2026〕" in number and 'data-line="6"' in number
    assert page.index('id="field-date"') < page.index('id="number-form"') < page.index('id="msg-number"')
    assert 'id="diagnostics-placed"' in page
    # A plan the form cannot read shows no form: its messages stay in the list.
    (folder / "bishan-notice.yaml").write_text(NOTICE.replace("2026-03-02", "2026-02-30"), encoding="utf-8")
    page = test_client.get("/plans/bishan-notice.yaml").text
    assert 'id="form-error"' in page and "E402" in page.split('id="diagnostics"')[1]


def test_form_writes_the_optional_and_colophon_keys_keeping_the_rest(client: tuple[TestClient, Path]) -> None:
    from render.reading.loader import load_plan

    test_client, folder = client
    page = test_client.get("/plans/bishan-notice.yaml").text
    version = re.search(r'id="common-form".*?name="version" value="([0-9a-f]+)"', page, re.S)
    assert version and 'id="field-seal"' in page and 'id="field-printed_on"' in page
    form = {"version": version.group(1), "signer": "", "seal": "true", "note": "联系人：周晓梅，电话 45678901。",
            "cc": "区委办公室\n区政府办公室", "printed_by": "重庆市璧山区教育委员会办公室",
            "printed_on": "2026-03-03", "urgency": "特急"}
    response = test_client.post("/plans/bishan-notice.yaml/form", data=form, follow_redirects=False)
    assert response.status_code == 303
    saved = (folder / "bishan-notice.yaml").read_text(encoding="utf-8")
    assert saved.startswith("# 璧山区的通知：这行注释和中文键名在网页保存后应原样保留\n类型: 通知\n")
    assert "\n印章: true\n" in saved and "\n印发机关: 重庆市璧山区教育委员会办公室\n" in saved
    assert "\n抄送:\n" in saved and "签发人" not in saved and "\n紧急程度: 特急\n" in saved
    plan = load_plan(folder / "bishan-notice.yaml").plan
    assert plan is not None and plan.seal is True and plan.cc == ["区委办公室", "区政府办公室"]
    assert str(plan.printed_on) == "2026-03-03" and plan.note and "周晓梅" in plan.note
    # Unticked: the hidden field says so, and the key goes.
    page = test_client.get("/plans/bishan-notice.yaml").text
    assert re.search(r'id="field-seal" value="true" checked', page)
    version = re.search(r'id="common-form".*?name="version" value="([0-9a-f]+)"', page, re.S)
    assert version
    test_client.post("/plans/bishan-notice.yaml/form", data={"version": version.group(1), "seal": ""})
    assert "印章" not in (folder / "bishan-notice.yaml").read_text(encoding="utf-8")
