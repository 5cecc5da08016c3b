"""Reading the texts: numbers as printed, numeric mentions, the rules that classify them,
quotes and their offsets, pages from footnote blocks, periods."""
