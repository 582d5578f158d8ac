"""Found by the crawler (issue 14): the command in the synthetic-data notice read as untranslated
English on Korean and Russian pages; it is code, and marked as such."""

from django.template.loader import render_to_string


def test_the_load_command_in_the_synthetic_notice_is_code():
    html = render_to_string("evidence/_synthetic.html", {"ctx": {"synthetic": True, "dataset": "SYN-HS17"}})
    assert "<code>serai trade load</code>" in html and "“serai trade load”" not in html
