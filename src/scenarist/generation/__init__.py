"""Pure generation domain (no Django): agent in, scenarios / clean metric descriptions out."""
