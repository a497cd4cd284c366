"""Tests in a real browser (headless Chromium): journeys, screenshots, accessibility."""
