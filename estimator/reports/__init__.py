"""Report writers: read ``Results`` and write files. They compute no rule."""
