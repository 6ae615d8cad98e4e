"""Bundled synthetic demo corpus: fictional wires, a content-farm composite, its ground truth."""
