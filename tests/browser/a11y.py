"""Accessibility checks run in a real browser: axe-core plus the 长辈模式 measurements."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()

MODES = {
    "normal": {},
    "elder": {"elder": "1"},
    "contrast": {"contrast": "high"},
}
WIDTHS = {"phone": 390, "desktop": 1280}

# Links inside running text are exempt from the target size (WCAG 2.5.8 "inline").
TARGETS_JS = """
() => {
  const inline = 'p a, dd a, td a, .prose a, .article-body a, .breadcrumb a, .lead a, figcaption a';
  const nodes = document.querySelectorAll(
    'nav a, nav button, main a, main button, main input[type=submit], main select, ' +
    'main input:not([type=hidden]):not([type=checkbox]):not([type=radio])');
  const small = [];
  for (const el of nodes) {
    if (el.matches(inline) || el.closest('.visually-hidden, [hidden], [aria-hidden="true"]')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.height >= 43.5 && r.width >= 43.5) continue;
    const label = (el.innerText || el.value || el.name || '').trim().slice(0, 30);
    small.push(`${el.tagName.toLowerCase()} "${label}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return small;
}
"""

TEXT_JS = """
() => {
  const p = document.querySelector('main p:not([aria-hidden])') || document.querySelector('main');
  const s = getComputedStyle(p);
  const next = p.nextElementSibling;
  return {
    size: parseFloat(getComputedStyle(document.querySelector('main')).fontSize),
    lineHeight: parseFloat(s.lineHeight) / parseFloat(s.fontSize),
    paragraphGap: parseFloat(s.marginBottom),
    lineGap: parseFloat(s.lineHeight) - parseFloat(s.fontSize),
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}
"""


def set_mode(context, live_server_url, mode):
    context.clear_cookies()
    cookies = [{"name": k, "value": v, "url": live_server_url} for k, v in MODES[mode].items()]
    if cookies:
        context.add_cookies(cookies)


def axe_problems(page, mode):
    options = {"resultTypes": ["violations"]}
    if mode == "contrast":
        options["rules"] = {"color-contrast-enhanced": {"enabled": True}}
    results = _axe.run(page, options=options)
    problems = []
    for violation in results.response["violations"]:
        serious = violation["impact"] in ("serious", "critical")
        if serious or violation["id"] == "color-contrast-enhanced":
            targets = [", ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            problems.append(f"axe {violation['id']} ({violation['impact']}): {targets}")
    return problems


def elder_problems(page):
    metrics = page.evaluate(TEXT_JS)
    problems = []
    if metrics["size"] < 18:
        problems.append(f"body text {metrics['size']}px < 18px")
    if metrics["lineHeight"] < 1.5:
        problems.append(f"line height {metrics['lineHeight']:.2f} < 1.5")
    if metrics["paragraphGap"] <= metrics["lineGap"]:
        problems.append(
            f"paragraph spacing {metrics['paragraphGap']}px not larger than line spacing {metrics['lineGap']}px"
        )
    problems += [f"small target {t}" for t in page.evaluate(TARGETS_JS)]
    return problems


def overflow_problems(page):
    overflow = page.evaluate(TEXT_JS)["overflow"]
    return [f"horizontal scrolling by {overflow}px"] if overflow > 1 else []
