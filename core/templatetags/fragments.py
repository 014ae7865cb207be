"""{% fragment "name" apps="news communities" value ... %} ... {% endfragment %}: core/fragments.py."""

from django import template
from django.template.base import token_kwargs

from core import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, apps, vary):
        self.nodelist = nodelist
        self.name = name
        self.apps = apps
        self.vary = vary

    def render(self, context):
        name = self.name.resolve(context)
        apps = tuple(self.apps.resolve(context).split())
        vary = tuple(value.resolve(context) for value in self.vary)
        request = context.get("request")
        return fragments.get_or_render(request, name, apps, vary, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    """The content up to {% endfragment %}, kept until a row of one of ``apps`` changes; keyed on the
    name, the values after ``apps`` (read with their ``str``: use a pk, not a row), the language,
    the display preferences, the kind of visitor and today's date."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError('{% fragment "name" apps="app ..." value ... %}')
    name = parser.compile_filter(bits[1])
    options = token_kwargs(bits[2:3], parser)
    if "apps" not in options:
        raise template.TemplateSyntaxError('{% fragment %} needs apps="..." after its name.')
    vary = [parser.compile_filter(bit) for bit in bits[3:]]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, name, options["apps"], vary)
