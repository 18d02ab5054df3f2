"""Layers shared by lessons: what a route, an import, an analytics call is, per language.

`python` and `typescript` name the same concepts the same way (`routes`, `telemetry`,
`emitter_index`, ...); `common` defines once what both produce.
"""
