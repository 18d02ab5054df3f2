"""The code half of each lesson: one package per lesson, named after its id.

A lesson's package holds its check (in `__init__`), its options, one module per language half
(`python`, `typescript`, `ini`, ...) and the helpers only that lesson uses. `base` is what a
check and a half are; `typescript_project` is the TypeScript half of a lesson that joins files.
"""
