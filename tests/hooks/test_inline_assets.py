"""The site's own CSS and JavaScript lose comments and spare whitespace, never meaning, and
go into the page where Material linked them."""

from __future__ import annotations

import pytest

from inline_assets import inline, minify_css, minify_js
from testkit.paths import DOCS_DIR

ASSETS = DOCS_DIR / "assets"


def test_css_loses_comments_and_spare_whitespace():
    css = "/* why */\n.a ,\n.b > .c {\n  color : red ;\n  margin: 0 1px;\n}\n"
    assert minify_css(css) == ".a,.b>.c{color :red;margin:0 1px}"


def test_css_keeps_the_spaces_that_carry_meaning():
    css = ".md-typeset :is(p, li) a{x:1}\n@media screen and (max-width: 10em) {\n .a { y: 2 }\n}"
    assert (
        minify_css(css) == ".md-typeset :is(p,li) a{x:1}@media screen and (max-width:10em){.a{y:2}}"
    )


def test_css_strings_are_kept_as_written_even_when_they_look_like_comments():
    css = 'a::after { content: "/* not a comment */  x ;}" ; }'
    assert minify_css(css) == 'a::after{content:"/* not a comment */  x ;}"}'


def test_a_comment_between_two_words_still_separates_them():
    assert minify_css(".a/* c */.b{x:1}") == ".a .b{x:1}"


def test_js_loses_comment_lines_indentation_and_blank_lines_only():
    js = '// why\n"use strict";\n\nfunction f(a) {\n  // because\n  return a + "//x"; // kept\n}\n'
    assert minify_js(js) == '"use strict";\nfunction f(a) {\nreturn a + "//x"; // kept\n}\n'


def test_the_site_stylesheet_keeps_every_rule():
    css = (ASSETS / "extra.css").read_text(encoding="utf-8")
    minified = minify_css(css)
    assert "/*" not in minified
    assert minified.count("{") == css.count("{") and minified.count("}") == css.count("}")
    assert len(minified) < len(css) / 2


def test_a_stylesheet_link_becomes_a_style_element_with_the_minified_css():
    page = '<link rel="stylesheet" href="../../assets/extra.css">\n<p>x</p>'
    assert inline(page, "assets/extra.css", "/* why */\na { b: c; }\n") == (
        "<style>a{b:c}</style>\n<p>x</p>"
    )


def test_a_script_becomes_an_inline_script_where_it_stood():
    page = '<script defer src="../bundle.js"></script><script defer src="/assets/a.js"></script>'
    assert inline(page, "assets/a.js", "// why\nrun();\n") == (
        '<script defer src="../bundle.js"></script><script>run();\n</script>'
    )


def test_other_files_with_a_similar_name_are_left_alone():
    page = '<link rel="stylesheet" href="../assets/extra.css.map"><script src="x-assets/a.js">'
    assert inline(page, "assets/a.js", "run();") == page
    assert inline(page, "assets/extra.css", "a{}") == page


def test_an_asset_that_would_end_its_element_is_an_error():
    with pytest.raises(ValueError, match="</script"):
        inline("", "assets/a.js", 'document.write("</script>");')
