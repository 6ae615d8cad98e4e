"""Claims made in an article: quotes, figures, attributions and stitching artifacts."""
