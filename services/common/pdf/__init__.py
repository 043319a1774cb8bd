"""Every PDF the platform makes is built here: fonts with per-character fallback (fonts.py: common
text, CJK Extensions A and B, refusal of a character no font has) and one layout (layout.py: frame,
wrapping and shrinking text, tables across pages, QR codes, the 已撤销 stamp)."""
