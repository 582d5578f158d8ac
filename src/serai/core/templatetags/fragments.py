"""``{% fragment "name" "topic" ... vary=value %}…{% endfragment %}``: the enclosed template kept
between requests for this viewer (``serai.core.fragments``), rendered with slots for the CSRF
token (``{{ csrf_token }}``, ``{% csrf_token %}``), the current address (``{{ here }}``,
``{{ here_path }}``) and the unread badge (``{{ unread_badge }}``), which are filled per response."""

from __future__ import annotations

from django import template

from serai.core import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, topics, vary):
        self.nodelist, self.name, self.topics, self.vary = nodelist, name, topics, vary

    def render(self, context) -> str:
        request = context.get("request")
        name = self.name.resolve(context)
        topics = [str(t.resolve(context)) for t in self.topics]
        vary = str(self.vary.resolve(context)) if self.vary is not None else ""

        def render() -> str:
            with context.push(**fragments.slots()):
                return self.nodelist.render(context)

        if request is None:
            return render()
        return fragments.cached(
            request, f"tpl:{name}", render, topics=topics, vary=vary, unread_badge=fragments.badge(request)
        )


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    vary = None
    args = []
    for bit in bits:
        if bit.startswith("vary="):
            vary = parser.compile_filter(bit[len("vary=") :])
        else:
            args.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, args[0], args[1:], vary)
