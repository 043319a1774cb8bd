"""What every domain uses: the rules and tools that are not one part's own.

Entry points:
- notices: public notice (公示) with working days, real-name objections, resolution, finalising, and
  the registry of notice subjects behind the one objection flow (register_subject, NoticeSubject)
- scoring: trimmed mean, weighted totals, spread, shared ranks
- skills: the skill-level ladder's changes and HR's certificate records
- uploads: files checked by content and stored outside the web root
- validators: credit codes, mobile numbers, certificate numbers, dates that already happened
- passwords: the password policy and hashing
- spreadsheets: the one Excel writer of every export
- pdf: every PDF's fonts (per-character fallback, check_printable) and layout (Document: wrapping text,
  tables, QR codes, the 已撤销 stamp)
- verification: the one public check of every kind of certificate (register_kind, verify, new_code,
  grouped, normalise)
- audit: the audit log
- reference: towns and trades every installation starts with
- i18n: text stored now and translated when shown
- rows: PlainRow, the base of a list page's rows read as plain columns
"""
