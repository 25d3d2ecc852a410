"""Scenarist: writes test suites for AI voice and chat agents behind a Cekura-compatible API."""

__version__ = "0.1.0"
