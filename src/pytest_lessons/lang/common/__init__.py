"""What the Python and TypeScript layers share: concepts defined once, produced by each language.

A record base (`records`), event references and catch effects (`telemetry`), wrapper summaries
(`wrappers`) and secret-name evidence (`secrets`). Each language layer produces these from its
own syntax tree; lessons judge them without caring which language wrote them.
"""
