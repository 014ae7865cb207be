"""The README onboards, docs/ explains: every relative link resolves and the README stays short.

Links are checked the way GitHub renders them: a path relative to the file that holds it, and a
`#fragment` must name a heading of the target (GitHub's slugs: lower case, punctuation dropped,
spaces to hyphens). Fenced code blocks are skipped, so shell comments are not headings and
`[x](y)` inside an example is not a link.
"""

import re
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
MAX_README_LINES = 250

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto:, tel:


def pages():
    return [README, *sorted(DOCS.glob("*.md"))]


def prose_lines(path):
    """The lines of a Markdown file outside fenced code blocks."""
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced:
            yield line


def links(path):
    for line in prose_lines(path):
        # Inline code is not a link, whatever it looks like.
        yield from LINK.findall(re.sub(r"`[^`]*`", "", line))


def slug(heading):
    text = re.sub(r"[^\w\- ]", "", heading.replace("`", "").strip().lower())
    return text.replace(" ", "-")


def anchors(path):
    seen = {}
    found = set()
    for line in prose_lines(path):
        match = HEADING.match(line)
        if match:
            base = slug(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return found


def broken_links(path, root=ROOT):
    problems = []
    for target in links(path):
        if EXTERNAL.match(target):
            continue
        file_part, _, fragment = target.partition("#")
        resolved = (path.parent / unquote(file_part)).resolve() if file_part else path
        where = f"{path.relative_to(root)} → {target}"
        if not resolved.exists():
            problems.append(f"{where}: no such file")
        elif fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
            problems.append(f"{where}: no heading with the anchor #{fragment}")
    return problems


def test_readme_is_at_most_250_lines():
    lines = len(README.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_README_LINES, f"README.md has {lines} lines: move the detail into docs/"


def test_every_relative_link_in_the_readme_and_docs_resolves():
    problems = [problem for path in pages() for problem in broken_links(path)]
    assert not problems, "\n".join(problems)


def test_every_doc_page_is_linked_from_the_readme():
    linked = {
        (README.parent / unquote(target.partition("#")[0])).resolve()
        for target in links(README)
        if not EXTERNAL.match(target)
    }
    unlinked = [path.name for path in sorted(DOCS.glob("*.md")) if path.resolve() not in linked]
    assert not unlinked, f"docs pages the README does not link: {', '.join(unlinked)}"


def test_benchmark_figures_are_linked_not_pasted():
    # A results table pasted into the prose goes stale with the next run; bench/results*.md are rewritten by it.
    pasted = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in pages()
        for line in prose_lines(path)
        if line.lstrip().startswith("|") and "req/s" in line
    ]
    assert not pasted, "\n".join(pasted)


def test_the_checks_find_what_they_look_for(tmp_path):
    """The helpers must be able to say no: a missing file, a missing anchor, a code block skipped."""
    (tmp_path / "there.md").write_text("# Scaling out\n\n## Staff workflow (`/admin/`)\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](there.md#scaling-out) [ok](there.md#staff-workflow-admin) [web](https://example.org)\n"
        "[gone](missing.md) [bad anchor](there.md#nowhere) `[code](not-a-link.md)`\n"
        "```sh\n[fenced](also-not-a-link.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page, root=tmp_path) == [
        "page.md → missing.md: no such file",
        "page.md → there.md#nowhere: no heading with the anchor #nowhere",
    ]
