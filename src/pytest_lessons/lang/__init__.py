"""Layers shared by lessons: what a route, an import, an analytics call is, per language."""
