"""The residents' forms in a browser: every field labelled, required fields marked in words,
errors next to each field (aria-describedby) and summarised at the top with links, focus on
the summary, and no captcha (spam is kept out without one)."""

import pytest

from feedback.models import Category
from tests import factories
from tests.events import factories as ef

pytestmark = pytest.mark.browser

FIELDS_JS = """
(scope) => {
  const root = scope ? document.querySelector(scope) : document.querySelector('main');
  const fields = [...root.querySelectorAll('input, select, textarea')].filter((el) =>
    !['hidden', 'submit', 'button'].includes(el.type) && !el.closest('[aria-hidden="true"]'));
  const text = (el) => (el ? el.innerText.replace(/\\s+/g, ' ').trim() : '');
  return fields.map((el) => {
    const labelledby = (el.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean)
      .map((id) => text(document.getElementById(id))).join(' ');
    const label = [...(el.labels || [])].map(text).join(' ') || el.getAttribute('aria-label') || labelledby;
    const group = el.type === 'checkbox' || el.type === 'radio' ? text(el.closest('fieldset')?.querySelector('legend'))
      || text(el.closest('[id^=div_id_]')?.querySelector('label, legend')) : '';
    const described = (el.getAttribute('aria-describedby') || '').split(' ').filter(Boolean).map((id) => {
      const target = document.getElementById(id);
      return { id, text: text(target), near: !!target && !!el.closest('[id^=div_id_], .mb-3, fieldset')
               && el.closest('[id^=div_id_], .mb-3, fieldset').contains(target) };
    });
    return {
      id: el.id, name: el.name, type: el.type, label: label, group: group,
      required: el.required || el.getAttribute('aria-required') === 'true',
      invalid: el.getAttribute('aria-invalid') === 'true', described: described,
    };
  });
}
"""

SUMMARY_JS = """
() => {
  const summary = document.getElementById('error-summary');
  if (!summary) return null;
  return {
    focused: document.activeElement === summary,
    top: summary.getBoundingClientRect().top + scrollY,
    firstField: Math.min(...[...document.querySelectorAll('main [aria-invalid="true"]')]
      .map((el) => el.getBoundingClientRect().top + scrollY)),
    links: [...summary.querySelectorAll('a')].map((a) => a.getAttribute('href')),
  };
}
"""

CAPTCHA_JS = """
() => [...document.querySelectorAll('main *')].filter((el) =>
  /captcha|验证码/i.test([el.id, el.name, el.className, el.getAttribute('alt'), el.getAttribute('src')].join(' ')))
  .map((el) => el.outerHTML.slice(0, 80))
"""


def label_problems(fields, where):
    problems = []
    for f in fields:
        name = f"{where} {f['id'] or f['name']}"
        if not (f["label"] or f["group"]):
            problems.append(f"{name}: no label")
        if f["required"] and "必填" not in f["label"]:
            problems.append(f"{name}: required but its label “{f['label']}” does not say 必填")
    return problems


def error_problems(fields, summary, where):
    invalid = [f for f in fields if f["invalid"]]
    problems = [] if invalid else [f"{where}: no field marked invalid after an empty submit"]
    if summary is None:
        return [*problems, f"{where}: no error summary"]
    if not summary["focused"]:
        problems.append(f"{where}: focus is not on the error summary")
    if summary["top"] > summary["firstField"]:
        problems.append(f"{where}: the error summary is below the first field in error")
    for f in invalid:
        errors = [d for d in f["described"] if d["id"].endswith("_error")]
        if not errors or not all(d["text"] and d["near"] for d in errors):
            problems.append(f"{where} {f['id']}: error not next to the field and linked by aria-describedby")
        if f"#{f['id']}" not in summary["links"]:
            problems.append(f"{where} {f['id']}: missing from the error summary links {summary['links']}")
    return problems


def submit_empty(page, button, scope):
    root = page.locator(scope) if scope else page.locator("main")
    with page.expect_navigation():
        root.get_by_role("button", name=button).click()


def check_form(page, url, button, scope=None):
    page.goto(url)
    problems = label_problems(page.evaluate(FIELDS_JS, scope), url)
    problems += [f"{url}: captcha {c}" for c in page.evaluate(CAPTCHA_JS)]
    submit_empty(page, button, scope)
    fields = page.evaluate(FIELDS_JS, scope)
    problems += label_problems(fields, f"{url} (after submit)")
    problems += error_problems(fields, page.evaluate(SUMMARY_JS), url)
    return problems


def test_resident_forms_are_labelled_and_explain_their_errors(page, places, screenshot, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    Category.objects.create(name="路面破损", slug="road", onsite_days=3, resolve_days=20)
    day = ef.day(places["chunshuyuan"], days_ahead=10, title="椿树园社区便民服务日")
    offering = ef.offering(day, places=5)

    problems = check_form(page, "/feedback/new/", "提交")
    screenshot(page, "form-errors-feedback")
    problems += check_form(page, "/accounts/register/", "注册")
    screenshot(page, "form-errors-register")
    problems += check_form(page, "/accounts/login/", "登录")
    problems += check_form(page, "/accounts/password-reset/", "发送邮件")
    problems += check_form(page, day.get_absolute_url(), "预约", f"#offering-{offering.pk}")
    screenshot(page, "form-errors-booking")

    volunteer = ef.volunteer("xiaoli")
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("xiaoli")
    page.get_by_label("密码").fill(factories.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录", exact=True).click()
    assert page.get_by_role("link", name="我的", exact=True).is_visible(), volunteer
    problems += check_form(page, "/volunteers/home-visits/new/", "提交申请")
    assert not problems, "\n".join(problems)
