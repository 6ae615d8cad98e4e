"""Bundled synthetic demo corpus: fictional wire stories, a content-farm composite and its ground truth."""
