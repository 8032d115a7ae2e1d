"""Layers: functions over a parsed document that add spans of one kind."""
