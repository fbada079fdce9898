"""The palette stylesheet keeps every rule the configured palette can use, and only those."""

from __future__ import annotations

from pathlib import Path

import material
import pytest

from palette_subset import (
    inline_palette,
    root_declarations,
    selector_can_match,
    subset_palette,
    used_colours,
)

MATERIAL_PALETTE = next(
    (Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob(
        "palette.*.min.css"
    )
)
SITE_PALETTE = [
    {"media": "(prefers-color-scheme)"},
    {"scheme": "default", "primary": "indigo", "accent": "indigo"},
    {"scheme": "slate", "primary": "indigo", "accent": "indigo"},
]


def test_used_colours_follow_material_defaults_and_spelling():
    used = used_colours([{"media": "x"}, {"scheme": "slate", "primary": "Deep Purple"}])
    assert used == {
        "scheme": {"default", "slate"},
        "primary": {"indigo", "deep-purple"},
        "accent": {"indigo"},
    }
    assert used_colours({"primary": "teal"})["primary"] == {"teal"}


@pytest.mark.parametrize(
    ("selector", "can_match"),
    [
        pytest.param("[data-md-color-scheme=slate]", True, id="used-scheme"),
        pytest.param("[data-md-color-primary=pink] .md-header", False, id="unused-primary"),
        pytest.param('[data-md-color-accent="indigo"]', True, id="quoted-value"),
        pytest.param("[data-md-color-scheme=slate][data-md-color-primary=teal]", False, id="and"),
        pytest.param(".md-typeset a", True, id="no-colour-attribute"),
        pytest.param(":not([data-md-color-primary=teal]) a", True, id="inside-parentheses"),
    ],
)
def test_a_selector_is_kept_only_when_its_colour_attributes_can_be_set(selector, can_match):
    used = {"scheme": {"default", "slate"}, "primary": {"indigo"}, "accent": {"indigo"}}
    assert selector_can_match(selector, used) is can_match


def test_unused_selectors_go_from_lists_and_media_blocks_and_empty_rules_disappear():
    css = (
        "@media screen{[data-md-color-primary=red],[data-md-color-primary=indigo]{--c:1}"
        "[data-md-color-primary=red] a{--d:2}}"
        "@media print{[data-md-color-accent=red]{--e:3}}"
        '.a:is([data-md-color-primary=red],.b) img[src$="{x},y"]{--f:4}'
    )
    used = used_colours({"primary": "indigo"})
    assert subset_palette(css, used) == (
        "@media screen{[data-md-color-primary=indigo]{--c:1}}"
        '.a:is([data-md-color-primary=red],.b) img[src$="{x},y"]{--f:4}'
    )


def test_the_site_palette_keeps_slate_and_indigo_and_drops_the_other_colours():
    css = MATERIAL_PALETTE.read_text(encoding="utf-8")
    subset = subset_palette(css, used_colours(SITE_PALETTE))
    assert "[data-md-color-scheme=slate]{color-scheme:dark;" in subset
    assert "[data-md-color-primary=indigo]{" in subset
    assert "[data-md-color-scheme=slate][data-md-color-primary=indigo]" in subset
    assert "=pink" not in subset and "=black" not in subset and "=teal" not in subset
    assert len(subset) < len(css) / 2


def test_unbalanced_css_is_an_error_not_a_silent_cut():
    with pytest.raises(ValueError, match="unbalanced"):
        subset_palette("a{b:c}}", used_colours({}))
    with pytest.raises(ValueError, match="ends inside a rule"):
        subset_palette("a{b:c", used_colours({}))


def test_the_link_to_materials_palette_becomes_the_subset_in_a_style_element():
    page = (
        '<link rel="stylesheet" href="../assets/stylesheets/main.57a0d79d.min.css">\n'
        '<link rel="stylesheet" href="../assets/stylesheets/palette.fb2fffe2.min.css">\n'
    )
    assert inline_palette(page, "a{b:c}") == (
        '<link rel="stylesheet" href="../assets/stylesheets/main.57a0d79d.min.css">\n'
        "<style>a{b:c}</style>\n"
    )
    with pytest.raises(ValueError, match="</style"):
        inline_palette(page, "a{content:'</style>'}")


def test_rules_that_only_repeat_the_root_defaults_go_unless_another_rule_sets_them_too():
    defaults = root_declarations(
        ':root{--p:#4051b5;--a:#526cfe;--i:url("data:x;y")}@media print{:root{--p:red}}'
    )
    assert defaults == {"--p": "#4051b5", "--a": "#526cfe", "--i": 'url("data:x;y")'}
    used = used_colours({})  # indigo, Material's default
    css = (
        "[data-md-color-primary=indigo]{--p:#4051b5}"  # the default again: goes
        "[data-md-color-accent=indigo]{--a:#526cfe;--b:1}"  # --b is new: stays
        # Not a colour attribute alone: stays.
        "[data-md-color-scheme=default][data-md-color-primary=indigo]{--a:#526cfe}"
    )
    assert subset_palette(css, used, defaults) == css.split("}", 1)[1]
    # Another kept rule sets --p: dropping the repeat could change which value wins.
    clash = "[data-md-color-scheme=default]{--p:#000}[data-md-color-primary=indigo]{--p:#4051b5}"
    assert subset_palette(clash, used, defaults) == clash


def test_the_site_palette_no_longer_repeats_materials_default_indigo():
    main = next(MATERIAL_PALETTE.parent.glob("main.*.min.css")).read_text(encoding="utf-8")
    css = MATERIAL_PALETTE.read_text(encoding="utf-8")
    subset = subset_palette(css, used_colours(SITE_PALETTE), root_declarations(main))
    assert "}[data-md-color-primary=indigo]{" not in subset
    assert "}[data-md-color-accent=indigo]{" not in subset
    assert "[data-md-color-scheme=slate][data-md-color-primary=indigo]{" in subset
