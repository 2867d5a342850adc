from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A value from a dict by key, in a template: counts|get_item:"good"."""
    return (mapping or {}).get(key)
