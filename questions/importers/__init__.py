"""Importers that bring content from other sites into Stapel."""
