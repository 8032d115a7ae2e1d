"""Readers that turn inputs (files, stdin) into raw articles."""
