# A code generator's template: Jinja, not Python, and nothing env.py imports.
from {{ package }}.models import {{ model_name }}
