"""Pattern lessons: a lesson.toml with `language` and an ast-grep `[rule]`, and no code."""
