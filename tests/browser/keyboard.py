"""Keyboard-only driving for browser tests: Tab until something is focused, and check every stop.

Every element focus lands on is checked the way a sighted keyboard user would: it is on
screen and not covered by anything else, and it looks different when focused — its outline
or box shadow changes, in a colour that stands out from what is behind it (≥ 3:1, WCAG 1.4.11).
The unfocused look is read by leaving the element with Shift+Tab and coming back with Tab, so
the check itself never touches the mouse or moves focus by script.
"""

FOCUS_STATE_JS = """
async () => {
  await window.__kbSettle();
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  await window.__kbTransitions(el);
  window.__kbElement = el;
  const r = el.getBoundingClientRect();
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  const label = (el.getAttribute('aria-label') || el.innerText || el.value || el.name || el.id || '')
    .trim().replace(/\\s+/g, ' ').slice(0, 40);
  return {
    tag: el.tagName.toLowerCase(),
    label: label,
    href: el.getAttribute('href') || '',
    id: el.id,
    inViewport: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
      && r.top < innerHeight && r.left < innerWidth,
    uncovered: !!hit && (hit === el || el.contains(hit) || hit.contains(el) || (hit.control === el)),
    style: window.__kbStyle(el),
    background: window.__kbBackground(el),
  };
}
"""

# Installed on every page of a context (add_init_script) so the checks can use them.
# Scrolling to a newly focused element may be smooth (Bootstrap's default): wait until it stops.
INIT_JS = """
window.__kbSettle = async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  let last = null, still = 0;
  for (let i = 0; i < 120 && still < 3; i++) {
    await frame();
    const now = `${scrollX},${scrollY}`;
    still = now === last ? still + 1 : 0;
    last = now;
  }
};
// Focus styles may fade in (Bootstrap's transitions): read them once they have finished.
window.__kbTransitions = (el) => Promise.all(el.getAnimations().map((a) => a.finished.catch(() => null)));
window.__kbStyle = (el) => {
  const s = getComputedStyle(el);
  return {
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
      ? `${s.outlineWidth} ${s.outlineStyle} ${s.outlineColor}` : '',
    outlineColor: s.outlineColor,
    shadow: s.boxShadow === 'none' ? '' : s.boxShadow,
  };
};
window.__kbBackground = (el) => {
  for (let node = el.parentElement; node; node = node.parentElement) {
    const c = getComputedStyle(node).backgroundColor;
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (m) {
      const parts = m[1].split(',').map(Number);
      if (parts.length < 4 || parts[3] > 0.5) return c;
    }
  }
  return 'rgb(255, 255, 255)';
};
"""


def _rgb(colour):
    inside = colour[colour.index("(") + 1 : colour.index(")")]
    return [float(v) for v in inside.replace("/", ",").split(",")[:3]]


def _luminance(colour):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _shadow_colours(shadow):
    colours, rest = [], shadow
    while "rgb" in rest:
        start = rest.index("rgb")
        end = rest.index(")", start) + 1
        colours.append(rest[start:end])
        rest = rest[end:]
    return colours


def install(context):
    """Call once per browser context, before the first page is opened."""
    context.add_init_script(INIT_JS)


def describe(state):
    return f"<{state['tag']}> “{state['label']}”" + (f" {state['href']}" if state["href"] else "")


def focus_problems(page):
    """Problems with the focused element: off screen, covered, or no visible focus indicator."""
    state = page.evaluate(FOCUS_STATE_JS)
    if state is None:
        return ["nothing is focused"]
    where = describe(state)
    problems = []
    if not state["inViewport"]:
        problems.append(f"{where} is focused but not on screen")
    elif not state["uncovered"]:
        problems.append(f"{where} is focused but covered by another element")
    focused = state["style"]
    page.keyboard.press("Shift+Tab")
    unfocused = page.evaluate(
        "async () => { await window.__kbTransitions(window.__kbElement); return window.__kbStyle(window.__kbElement); }"
    )
    page.keyboard.press("Tab")
    if not page.evaluate("() => document.activeElement === window.__kbElement"):
        problems.append(f"{where}: Shift+Tab then Tab does not come back to it")
    changed = []
    if focused["outline"] and focused["outline"] != unfocused["outline"]:
        changed.append(focused["outlineColor"])
    if focused["shadow"] and focused["shadow"] != unfocused["shadow"]:
        changed += _shadow_colours(focused["shadow"])
    if not changed:
        problems.append(f"{where} shows no focus indicator (outline and box shadow as when unfocused)")
    elif max(contrast(c, state["background"]) for c in changed) < 3:
        problems.append(f"{where}: focus indicator {changed} has contrast < 3:1 against {state['background']}")
    return problems


def focused(page):
    return page.evaluate(FOCUS_STATE_JS)


def tab_to(page, matches, *, backwards=False, limit=150, checked=None):
    """Press Tab (or Shift+Tab) until `matches(state)` is true; check every element on the way.

    Returns the list of problems found on the way (empty when all is well); raises when
    the element is never reached. `checked` collects a description of every stop.
    """
    problems = []
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        state = focused(page)
        if state is None:
            continue
        problems += focus_problems(page)
        if checked is not None:
            checked.append(describe(state))
        if matches(state):
            return problems
    raise AssertionError(f"never reached by {key} after {limit} presses; problems on the way: {problems}")


def by_label(text):
    return lambda state: state["label"] == text


def label_starts(text):
    return lambda state: state["label"].startswith(text)


def by_id(element_id):
    return lambda state: state["id"] == element_id
