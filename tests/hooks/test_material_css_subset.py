"""Material's main stylesheet cut to what the site can use (hooks/material_css_subset.py).

What a reader sees is checked in Chromium (tests/browser/test_stylesheet_subset_in_chromium.py);
here, the rules of the cut, and the published file on a built site.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from types import SimpleNamespace

import material
import pytest
from mkdocs.exceptions import PluginError

from material_css_subset import (
    publish_subset,
    selector_can_match,
    site_names,
    subset_stylesheet,
    without_unread_properties,
)

MATERIAL_MAIN = next(
    (Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("main.*.min.css")
)
# What publish_subset reads of the build's configuration: the theme's folders.
MATERIAL_THEME = SimpleNamespace(theme=SimpleNamespace(dirs=[str(MATERIAL_MAIN.parents[2])]))
PAGE = '<div class="md-typeset"><div class="admonition note" id="intro"><p>x</p></div></div>'
NAMES = site_names([PAGE], ['x.classList.add("md-search__input");h("li",{class:`md-tag--${t}`})'])


@pytest.mark.parametrize(
    ("selector", "can_match"),
    [
        pytest.param(".md-typeset .note>.admonition-title", False, id="class-nowhere"),
        pytest.param(".md-typeset .admonition.note", True, id="classes-of-the-page"),
        pytest.param(".md-typeset .bug>summary", False, id="type-unused"),
        pytest.param("#intro", True, id="id-of-the-page"),
        pytest.param("#outro p", False, id="id-nowhere"),
        pytest.param(".md-search__input::placeholder", True, id="class-a-script-adds"),
        pytest.param(".md-tag--kubernetes", True, id="template-prefix-of-a-script"),
        pytest.param(".md-typeset :is(.bug,.note)>summary", True, id="alternative-kept"),
        pytest.param(".md-typeset :not(.bug)", True, id="exclusion-kept"),
        pytest.param('.md-typeset a[href$=".pdf"]', True, id="attribute-value-not-a-class"),
        pytest.param("html body", True, id="elements-only"),
        pytest.param(r".md-typeset .bug\:x", False, id="escaped-name-unescaped"),
    ],
)
def test_a_selector_can_match_only_with_names_the_site_has(selector: str, can_match: bool) -> None:
    assert selector_can_match(selector, NAMES) is can_match


def test_selectors_that_cannot_match_go_and_rules_left_empty_go_too() -> None:
    css = (
        ".admonition.note,.admonition.bug{color:red}.bug>summary{color:blue}"
        "@media screen{.bug{color:green}}@media print{.note{color:black}}"
        "@keyframes spin{0%{opacity:0}to{opacity:1}}"
    )
    assert subset_stylesheet(css, [PAGE], []) == (
        ".admonition.note{color:red}@media print{.note{color:black}}"
        "@keyframes spin{0%{opacity:0}to{opacity:1}}"
    )


def test_custom_properties_nothing_reads_go_until_none_is_left() -> None:
    css = (
        ":root{--bug-icon:url('data:x');--note-icon:var(--note-svg);--note-svg:url('data:y');"
        "--set-by-script:0;--read-by-page:1;color:red}"
        ".note:before{mask-image:var(--note-icon)}"
        ".gone{--only-here:1}"
    )
    kept = without_unread_properties(css, {"--set-by-script", "--read-by-page"})
    assert kept == (
        ":root{--note-icon:var(--note-svg);--note-svg:url('data:y');"
        "--set-by-script:0;--read-by-page:1;color:red}"
        ".note:before{mask-image:var(--note-icon)}"
    )
    # The chain goes as a whole once its last reader has gone.
    assert "--note-svg" not in without_unread_properties(
        css.replace("var(--note-icon)", "none"), set()
    )


def test_a_page_or_a_script_keeps_the_properties_it_reads() -> None:
    css = ":root{--from-page:1;--from-script:2;--unread:3}"
    page = '<p style="width:var(--from-page)">'
    script = 'el.style.setProperty("--from-script", "4")'
    assert subset_stylesheet(css, [page], [script]) == ":root{--from-page:1;--from-script:2}"


def test_a_built_site_links_the_subset_by_its_own_hash_and_keeps_no_whole_copy(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "assets" / "stylesheets"
    folder.mkdir(parents=True)
    (folder / MATERIAL_MAIN.name).write_bytes(MATERIAL_MAIN.read_bytes())
    (folder / f"{MATERIAL_MAIN.name}.map").write_text("{}")
    link = f'<link rel="stylesheet" href="../assets/stylesheets/{MATERIAL_MAIN.name}">'
    (tmp_path / "post").mkdir()
    (tmp_path / "post" / "index.html").write_text(f"<head>{link}</head>{PAGE}")
    (tmp_path / "404.html").write_text(f"<head>{link}</head><h1>Page not found</h1>")
    (tmp_path / "lab.mjs").write_text('panel.className = "md-typeset__scrollwrap";')
    (tmp_path / "lab.css").write_text(".lab-log{background:var(--md-admonition-icon--quote)}")
    untouched = tmp_path / "search_index.json"
    untouched.write_text('{"docs": []}')

    publish_subset(tmp_path, MATERIAL_THEME)  # type: ignore[arg-type]

    [published] = folder.iterdir()
    assert published.name != MATERIAL_MAIN.name
    for page in (tmp_path / "post" / "index.html", tmp_path / "404.html"):
        assert f"stylesheets/{published.name}" in page.read_text()
    assert untouched.read_text() == '{"docs": []}'
    subset = published.read_text()
    assert ".md-typeset .admonition" in subset
    assert ".md-typeset__scrollwrap" in subset  # a class only a module adds
    assert "--md-admonition-icon--bug" not in subset
    assert "--md-admonition-icon--quote:" in subset  # read by the site's other stylesheet
    whole, cut = (len(gzip.compress(text.encode())) for text in (MATERIAL_MAIN.read_text(), subset))
    assert cut < whole * 0.9


def test_a_dirty_rebuild_replaces_the_earlier_subset_and_relinks_every_page(
    tmp_path: Path,
) -> None:
    """`mkdocs build --dirty` copies Material's file again beside the subset the last build
    published, and rewrites only some pages: one subset is left, and every page links it."""
    folder = tmp_path / "assets" / "stylesheets"
    folder.mkdir(parents=True)
    (folder / MATERIAL_MAIN.name).write_bytes(MATERIAL_MAIN.read_bytes())
    (folder / "main.11111111.min.css").write_text(".md-typeset .admonition{color:red}")
    rewritten = tmp_path / "index.html"
    rewritten.write_text(f'<link href="assets/stylesheets/{MATERIAL_MAIN.name}">{PAGE}')
    kept = tmp_path / "old" / "index.html"
    kept.parent.mkdir()
    kept.write_text('<link href="../assets/stylesheets/main.11111111.min.css">')

    publish_subset(tmp_path, MATERIAL_THEME)  # type: ignore[arg-type]

    [published] = [path.name for path in folder.iterdir()]
    assert published not in (MATERIAL_MAIN.name, "main.11111111.min.css")
    assert f"stylesheets/{published}" in rewritten.read_text()
    assert kept.read_text() == f'<link href="../assets/stylesheets/{published}">'


def test_a_stylesheet_it_cannot_read_is_an_error_that_names_the_file(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "assets" / "stylesheets").mkdir(parents=True)
    (theme / "assets" / "stylesheets" / "main.0123abcd.min.css").write_text(".note{color:red")
    config = SimpleNamespace(theme=SimpleNamespace(dirs=[str(theme)]))
    site = tmp_path / "site"
    folder = site / "assets" / "stylesheets"
    folder.mkdir(parents=True)
    (folder / "main.0123abcd.min.css").write_text(".note{color:red")
    (site / "index.html").write_text(PAGE)
    with pytest.raises(PluginError, match=r"main\.0123abcd\.min\.css: .*ends inside a rule"):
        publish_subset(site, config)  # type: ignore[arg-type]
    # Nothing half done: the page still links what it linked, the file is as it was.
    assert (folder / "main.0123abcd.min.css").read_text() == ".note{color:red"
    assert [path.name for path in folder.iterdir()] == ["main.0123abcd.min.css"]
