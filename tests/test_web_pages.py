"""The web pages in a real headless Chromium: search as one types, a policy and its estimate, the
contacts, the match, a phone-sized screen, print, and hostile input shown as text."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
import yaml
from conftest import PHONE

from policycli.awards.money import format_yuan
from policycli.match.eligibility import match_profile
from policycli.match.profile_file import dump_profile, load_profile

PROFILES = Path(__file__).parent / "cases" / "profiles"
HOSTILE = "<script>alert(1)</script>[red]x[/red]"


def first_hit(page) -> str:
    return page.locator("#results ol.hits > li").first.locator("a.title").inner_text()


@pytest.mark.parametrize("typed, policy_id", [("技改", "techretrofit"), ("数据中兴", "datacenter"),
                                              ("jsgz", "techretrofit"), ("有没有支持建设智慧社区的补贴", "smartcommunity")])
def test_results_follow_the_typing_with_the_right_policy_first(page, web_url, catalog, typed, policy_id):
    page.goto(web_url + "/")
    page.evaluate("window.notReloaded = true")
    page.locator("#q").press_sequentially(typed, delay=30)
    expected = catalog.get(policy_id).title
    page.wait_for_function("([q, t]) => document.querySelector('#results .count')?.textContent.startsWith(`搜索“${q}”`)"
                           " && document.querySelector('#results a.title')?.textContent === t", arg=[typed, expected])
    assert first_hit(page) == expected
    assert page.evaluate("window.notReloaded") is True  # drawn by the page's script, not a new page
    assert page.url == web_url + "/?q=" + quote(typed)


def test_an_approximate_result_says_so_and_what_it_hinges_on_as_typed_and_on_reload(page, web_url):
    typed = "技能人才实训计划补助"  # 计划 is in no policy: found by the rest, marked
    page.goto(web_url + "/")
    page.locator("#q").press_sequentially(typed, delay=30)
    page.wait_for_function("q => document.querySelector('#results .count')?.textContent.startsWith(`搜索“${q}”`)",
                           arg=typed)
    drawn = page.locator("#results ol.hits > li").first.locator(".approx").inner_text()
    page.goto(web_url + "/?q=" + quote(typed))
    served = page.locator("#results ol.hits > li").first.locator(".approx").inner_text()
    assert drawn == served == "近似：只按“公共实训”找到，请核对"


def test_open_a_policy_and_estimate_techretrofit(page, web_url):
    page.goto(web_url + "/")
    page.locator("#q").fill("技改")
    page.wait_for_selector("#results a.title")
    page.locator("#results a.title").first.click()
    page.wait_for_url("**/policy/techretrofit")
    assert page.locator("h1").inner_text() == "技术改造设备投资奖补"
    phone = page.locator("a.phone").first
    assert phone.inner_text() == "0532-86175786" and phone.get_attribute("href") == "tel:053286175786"
    assert "臧文科" in page.locator("dl.facts").inner_text()
    assert "按照年度设备投资额12%的比例给予奖补" in page.locator(".content").inner_text()
    page.locator("#in-invest").fill("3000万")
    page.get_by_role("button", name="估算").click()
    page.wait_for_selector("#amount")
    assert page.locator("#amount").inner_text() == "3,600,000.00 元（360万元）"
    result = page.locator("#estimate-result").inner_text()
    assert "30,000,000.00 × 12% = 3,600,000.00 元（360万元）" in result
    assert "“按照年度设备投资额12%的比例给予奖补，单个企业当年获得奖补资金总额不超过600万元”" in result


def test_a_bad_amount_gives_the_message_by_the_field_with_status_400(page, web_url):
    response = page.goto(web_url + "/policy/techretrofit?estimate=1&invest=" + quote("很多"))
    assert response.status == 400
    assert page.locator(".message").inner_text().startswith("年度设备投资额：“很多”不是金额")


def test_look_up_a_person_by_phone(page, web_url):
    page.goto(web_url + "/contacts")
    page.locator("#cq").fill("86168249")
    page.locator("#cq").press("Enter")
    page.wait_for_url("**/contacts?q=86168249")
    entries = page.locator("li.entry")
    assert entries.count() == 1
    text = entries.first.inner_text()
    assert "信息化管理科" in text and "陈辉平" in text and "0532-86168249" in text
    assert entries.first.locator("a.phone").get_attribute("href") == "tel:053286168249"
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("下载通讯录")).click()
    card = Path(download.value.path()).read_text(encoding="utf-8")
    assert "FN:陈辉平" in card and "TEL;TYPE=WORK,VOICE:0532-86168249" in card and card.count("BEGIN:VCARD") == 1


def test_submit_a_profile_and_read_the_three_groups_and_the_total(page, web_url, catalog):
    path = PROFILES / "manufacturer.yaml"
    expected = match_profile(catalog, load_profile(path, catalog))
    page.goto(web_url + "/match")
    page.locator("#profile").set_input_files(str(path))
    page.get_by_role("button", name="上传档案并匹配").click()
    page.wait_for_selector("#match-result")
    headings = page.locator("#match-result h2").all_inner_texts()
    assert headings == ["可申请（5 项）", "待确认（2 项）", "不符合（13 项）"]
    assert headings == [f"{label}（{expected.count(s)} 项）" for s, label in
                        (("eligible", "可申请"), ("unconfirmed", "待确认"), ("ineligible", "不符合"))]
    assert page.locator("#total").inner_text() == "合计：9,000,000.00 元（900万元）" == f"合计：{format_yuan(expected.total)}"
    assert "6,000,000.00 元（600万元）（已达上限）" in page.locator("ul.eligible").inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("下载这份档案")).click()
    saved = yaml.safe_load(Path(download.value.path()).read_text(encoding="utf-8"))
    assert saved == yaml.safe_load(dump_profile(load_profile(path, catalog)))  # as `policy match --save` writes it
    assert saved["name"] == "青岛海岳智能装备有限公司" and saved["invest"] == 80000000


def test_the_form_alone_makes_a_profile(page, web_url, catalog):
    page.goto(web_url + "/match")
    assert page.locator("#f-loan").count() == 0  # no amount is asked before a policy is open to it
    page.locator("#f-entity").select_option("企业")
    page.locator("#f-tech_firm").select_option("是")
    page.locator("#f-loan_mode").select_option("投保贷")
    page.locator("#f-repaid").select_option("是")
    page.get_by_role("button", name="匹配", exact=True).click()
    page.wait_for_selector("#match-result")
    page.locator("#f-loan").fill("800万")  # asked now: the loan subsidy is open and needs it
    page.locator("#f-signed").fill("2024-03")
    page.get_by_role("button", name="匹配", exact=True).click()
    page.wait_for_url("**loan=*")
    assert "贷款贴息" in page.locator("ul.eligible").inner_text()
    assert page.locator("#total").inner_text().startswith("合计：")
    assert page.locator("#f-loan").input_value() == "800万"  # the answers stay on the form


def test_a_bad_answer_on_the_form_is_named(page, web_url):
    page.goto(web_url + "/match?" + "&".join(f"{k}={quote('是')}" for k in ("retrofit", "above_scale", "manufacturer")))
    page.locator("#f-invest").fill("很多")
    page.get_by_role("button", name="匹配", exact=True).click()
    message = page.locator(".message").inner_text()
    assert message.startswith("年度设备投资额：“很多”不是金额")


@pytest.mark.parametrize("path", ["/", "/?q=" + quote("技改"), "/policy/techretrofit?estimate=1&invest=" + quote("3000万"),
                                  "/policy/digitalprojects", "/contacts", "/contacts?q=" + quote("信息化"), "/match"])
def test_a_375px_screen_has_no_horizontal_scroll(on_a_phone, path):
    width = on_a_phone(path)["width"]
    assert width <= 375, f"{path} is {width}px wide"


@pytest.mark.parametrize("path", ["/contacts", "/policy/datacenter", "/?q=" + quote("数据中心")])
def test_a_phone_number_is_never_broken_across_lines_on_a_375px_screen(on_a_phone, path):
    """Read out to a caller, '0532-' on one line and '86986596' on the next is easily misread."""
    lines = on_a_phone(path)["phones"]
    assert lines and set(lines) == {1}, lines


def test_the_match_result_fits_a_375px_screen(phone_page, web_url):
    phone_page.goto(web_url + "/match")
    phone_page.locator("#profile").set_input_files(str(PROFILES / "manufacturer.yaml"))
    phone_page.get_by_role("button", name="上传档案并匹配").click()
    phone_page.wait_for_selector("#match-result")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_hostile_query_is_shown_as_text_while_typing(page, web_url):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(web_url + "/")
    page.locator("#q").fill(HOSTILE)
    page.wait_for_selector("#results .message")
    assert f"“{HOSTILE}”" in page.locator("#results").inner_text()
    assert page.locator("#results script").count() == 0 and page.locator("#results [style]").count() == 0
    assert dialogs == []


@pytest.mark.parametrize("path", ["/?q=", "/contacts?q="])
def test_a_hostile_query_is_shown_as_text_without_javascript(browser, web_url, path):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(web_url + path + quote(HOSTILE))
    assert HOSTILE in tab.locator(".message").inner_text()
    assert tab.locator("main script").count() == 0
    context.close()


def test_search_works_without_javascript(browser, web_url, catalog):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(web_url + "/")
    tab.locator("#q").fill("技改")
    tab.locator("#q").press("Enter")
    tab.wait_for_url("**/?q=*")
    assert tab.locator("#results a.title").first.inner_text() == catalog.get("techretrofit").title
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_a_korean_query_shows_our_english_title_marked_unofficial(browser, web_url, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    tab = context.new_page()
    tab.goto(web_url + "/")
    tab.locator("#q").fill("스마트 커뮤니티 보조금")
    if not javascript:
        tab.locator("#q").press("Enter")
    english = tab.locator("#results .english").first
    english.wait_for()
    assert english.inner_text() == "Award for smart community construction （非官方译文，以中文原文为准）"
    context.close()


def test_the_pages_break_no_content_security_rule(page, web_url):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    for path in ["/", "/policy/techretrofit", "/contacts", "/match"]:
        response = page.goto(web_url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
    page.goto(web_url + "/")
    page.locator("#q").fill("技改")
    page.wait_for_selector("#results a.title")
    assert problems == []


def test_a_policy_page_prints_on_one_a4_page_without_the_forms(page, web_url):
    page.goto(web_url + "/policy/techretrofit")
    page.emulate_media(media="print")
    assert page.locator("header.site nav").is_hidden() and page.locator("#estimate form").is_hidden()
    assert page.locator(".content").is_visible()
    pdf = page.pdf(format="A4", print_background=False)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_a_search_with_no_result_while_typing_says_where_to_look(page, web_url):
    page.goto(web_url + "/")
    page.locator("#q").press_sequentially("养老服务", delay=30)
    page.wait_for_function("() => document.querySelector('#results .message')?.textContent.includes('养老服务')")
    message = page.locator("#results .message").inner_text()
    assert message.endswith("或在首页查看全部政策") and "policy " not in message, message


# --- a phone (375 px): fonts, amounts, tap targets, not found, Back and Reload -----------------

PHONE_PAGES = ["/", "/policy/techretrofit?estimate=1&invest=" + quote("3000万"),
               "/policy/loansubsidy?estimate=1&loan=" + quote("800万") + "&signed=2024-03",
               "/policy/newrnd?estimate=1&level=" + quote("省级优秀、市级优秀"), "/contacts?q=" + quote("信息化"),
               "/match", "/match?" + "&".join(f"{k}={quote(v)}" for k, v in (
                   ("entity", "企业"), ("retrofit", "是"), ("above_scale", "是"), ("manufacturer", "是"),
                   ("invest", "3000万"), ("recognitions", "省级产业大脑"))),
               "/policy/nosuchthing"]
TAPPABLE = ("[...document.querySelectorAll('a, button, select, summary, label.box, "
            "input:not([type=hidden]):not([type=checkbox])')].filter(e => e.offsetParent !== null)"
            ".map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect().height])")


# What a phone page shows, read at once: its width, the lines each phone number and each amount
# takes, the text of <main> and the heights of the tap targets.
MEASURE = ("() => ({width: document.documentElement.scrollWidth, "
           "phones: [...document.querySelectorAll('a.phone')].map(a => a.getClientRects().length), "
           "amounts: [...document.querySelectorAll('.money')].map(e => [e.textContent, e.getClientRects().length]), "
           "text: document.querySelector('main').innerText, taps: " + TAPPABLE + "})")


@pytest.fixture(scope="module")
def on_a_phone(browser, web_url):
    """`on_a_phone(path)`: what the page at `path` shows on a 375 px phone, loaded and measured once
    for all the checks of the module (the checks only read it)."""
    context = browser.new_context(**PHONE)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    measured: dict[str, dict] = {}

    def measure(path: str) -> dict:
        if path not in measured:
            tab.goto(web_url + path)
            measured[path] = tab.evaluate(MEASURE)
        return measured[path]

    yield measure
    context.close()


def test_the_stylesheet_names_a_chinese_font_and_the_browser_has_it(phone_page, web_url):
    phone_page.goto(web_url + "/")
    family = phone_page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Noto Sans CJK SC", "Source Han Sans SC"')
    assert all(name in family for name in ("PingFang SC", "Microsoft YaHei"))
    assert phone_page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '政策')")


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_on_a_phone_no_amount_is_split_from_its_unit(on_a_phone, path):
    shown = on_a_phone(path)
    if "estimate=1" in path or "invest" in path:
        assert shown["amounts"], "the amounts are marked"
    split = [text for text, lines in shown["amounts"] if lines != 1]
    assert not split, split
    # and nothing that looks like an amount is left unmarked where it could break
    assert not re.search(r"\d\n[万亿元]|（\d[\d.]*\n万元）", shown["text"])


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_on_a_phone_every_tap_target_is_44px_high(on_a_phone, path):
    small = [(html, height) for html, height in on_a_phone(path)["taps"] if height < 44]
    assert not small, small


def test_an_unknown_policy_is_a_404_page(phone_page, web_url):
    response = phone_page.goto(web_url + "/policy/nosuchthing")
    assert response.status == 404
    assert phone_page.locator("h1").inner_text() == "没有这项政策"
    assert "未找到政策“nosuchthing”" in phone_page.locator(".message").inner_text()


def test_back_and_reload_keep_an_estimate(phone_page, web_url):
    phone_page.goto(web_url + "/policy/techretrofit")
    phone_page.locator("#in-invest").fill("3000万")
    phone_page.get_by_role("button", name="估算").click()
    phone_page.wait_for_selector("#amount")
    shown = phone_page.locator("#amount").inner_text()
    assert shown == "3,600,000.00 元（360万元）"
    phone_page.reload()
    assert phone_page.locator("#amount").inner_text() == shown and phone_page.locator("#in-invest").input_value() == "3000万"
    phone_page.get_by_role("link", name="返回首页").click()
    phone_page.wait_for_url(web_url + "/")
    phone_page.go_back()
    phone_page.wait_for_selector("#amount")
    assert phone_page.locator("#amount").inner_text() == shown and phone_page.locator("#in-invest").input_value() == "3000万"


def test_back_and_reload_keep_a_match(phone_page, web_url):
    phone_page.goto(web_url + "/match")
    phone_page.locator("#f-retrofit").select_option("是")
    phone_page.locator("#f-above_scale").select_option("是")
    phone_page.locator("#f-manufacturer").select_option("是")
    phone_page.get_by_role("button", name="匹配", exact=True).click()
    phone_page.wait_for_selector("#match-result")
    summary = phone_page.locator("#match-result .summary").inner_text()
    phone_page.reload()
    assert phone_page.locator("#match-result .summary").inner_text() == summary
    phone_page.locator("#match-result a").first.click()
    phone_page.wait_for_url("**/policy/*")
    phone_page.go_back()
    phone_page.wait_for_selector("#match-result")
    assert phone_page.locator("#match-result .summary").inner_text() == summary


def test_the_match_form_asks_only_what_still_decides(phone_page, web_url):
    phone_page.goto(web_url + "/match")
    first = phone_page.locator("#match-form .group .field").count()
    boxes = phone_page.locator("#match-form .group input[name=recognitions]").count()
    phone_page.locator("#f-retrofit").select_option("否")
    phone_page.locator("#f-entity").select_option("个人")
    phone_page.get_by_role("button", name="匹配", exact=True).click()
    phone_page.wait_for_selector("#match-result")
    asked = phone_page.locator("#match-form .group .field").count()
    assert asked < first
    # a 个人 is no enterprise, and without a retrofit the two facts only techretrofit asks are moot
    assert phone_page.locator("#match-form .group #f-above_scale").count() == 0
    assert phone_page.locator("#match-form .group input[name=recognitions]").count() < boxes
    known = phone_page.locator("details.known")
    assert known.locator("summary").inner_text() == "已填写的 2 项（点开可修改）"
    assert known.locator("#f-entity").input_value() == "个人" and known.locator("#f-retrofit").input_value() == "否"
    # quickest group first: yes/no questions before the list of recognitions
    legends = phone_page.locator("#match-form legend").all_inner_texts()
    assert legends[0].startswith("基本情况")


def test_the_match_form_is_shorter_than_it_was_on_a_phone(phone_page, web_url):
    phone_page.goto(web_url + "/match")
    assert phone_page.evaluate("document.documentElement.scrollHeight") < 3600


def test_in_a_library_results_drawn_while_typing_open_each_version_and_name_its_list(
        phone_page, tmp_path, monkeypatch, dataset_dict):
    """Two lists, techretrofit changed in 2025's: the results the page's script draws are those the
    server writes on reload (LIST:ID links, refs, list names kept whole), and each link opens its version."""
    from conftest import invoke, served

    from policycli.web.app import make_app

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    data = dict(dataset_dict, year=2025, title=dataset_dict["title"].replace("2024", "2025"))
    data["parts"] = [{k: v for k, v in part.items() if k != "count"} for part in data["parts"]]
    retrofit = next(p for p in data["policies"] if p["id"] == "techretrofit")
    retrofit["content"] = retrofit["content"].replace("不超过600万元", "不超过800万元")
    retrofit["award"]["otherwise"].update(cap=800, clause=retrofit["award"]["otherwise"]["clause"].replace("600万", "800万"))
    (tmp_path / "2025.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert invoke("lists", "add", tmp_path / "2025.yaml").exit_code == 0
    with served(make_app()) as base:
        phone_page.goto(base + "/")
        phone_page.locator("#q").fill("技改")
        phone_page.wait_for_function("() => document.querySelectorAll('#results ol.hits > li').length === 2")
        hits = phone_page.locator("#results ol.hits > li")
        drawn = [(hits.nth(i).inner_text(), hits.nth(i).locator("a.title").get_attribute("href")) for i in range(2)]
        phone_page.goto(base + "/?q=" + quote("技改"))
        served_hits = [(hits.nth(i).inner_text(), hits.nth(i).locator("a.title").get_attribute("href")) for i in range(2)]
        assert [(" ".join(text.split()), unquote(href)) for text, href in drawn] == [
            (" ".join(text.split()), href) for text, href in served_hits]
        assert served_hits[1][1] == "/policy/黄岛2024-1:techretrofit"
        assert "techretrofit · 一-3 · 清单 黄岛2024-1" in " ".join(drawn[1][0].split())
        names = hits.nth(0).locator(".list .name")
        assert names.count() == 1 and len(names.first.evaluate("e => e.getClientRects().length ? [...e.getClientRects()] : []")) == 1
        phone_page.locator("#results a.title").nth(1).click()
        phone_page.wait_for_selector("h1")
        assert "最高600万元" in phone_page.locator("dl.facts").inner_text()
