"""The schema of the newest revision, exactly as the migrations leave it in SQLite.

A new store is made from these statements in one transaction, without Alembic: running
every migration cost each new store ~70 ms of CPU, and loading Alembic 0.15 s more.
Written from the migrations by ``python -m tests.core.store.test_head_schema``; a test
keeps it equal to them. Never edit it by hand: a change of schema is a migration.
"""

from __future__ import annotations

REVISION = "0004"

STATEMENTS = (
    "CREATE TABLE alembic_version (\n"
    "\tversion_num VARCHAR(32) NOT NULL, \n"
    "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
    ")",
    "CREATE TABLE documents (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tsha256 VARCHAR(64) NOT NULL, \n"
    "\tmedia_type VARCHAR(40) NOT NULL, \n"
    "\toriginal_name TEXT NOT NULL, \n"
    "\tsource_path TEXT NOT NULL, \n"
    "\tsize INTEGER NOT NULL, \n"
    "\tpages INTEGER NOT NULL, \n"
    "\twidth_px INTEGER, \n"
    "\theight_px INTEGER, \n"
    "\tdpi FLOAT, \n"
    "\tencrypted BOOLEAN NOT NULL, \n"
    "\tpassword TEXT, \n"
    "\thas_text BOOLEAN NOT NULL, \n"
    "\ttitle TEXT NOT NULL, \n"
    "\tissued DATE, \n"
    "\texpires DATE, \n"
    "\tnotes TEXT NOT NULL, \n"
    "\tlanguage VARCHAR(16), \n"
    "\tlegalised BOOLEAN NOT NULL, \n"
    "\tsuggested_slot VARCHAR(80), \n"
    "\timported_at DATETIME NOT NULL, issued_in VARCHAR(16), legalised_on DATE, "
    "text_status VARCHAR(10) DEFAULT 'pending' NOT NULL, "
    "text_error TEXT DEFAULT '' NOT NULL, reading_notes TEXT DEFAULT '' NOT NULL, \n"
    "\tPRIMARY KEY (id), \n"
    "\tUNIQUE (sha256)\n"
    ")",
    "CREATE TABLE page_settings (\n"
    "\tdocument_id INTEGER NOT NULL, \n"
    "\tpage_index INTEGER NOT NULL, \n"
    "\trotation INTEGER NOT NULL, \n"
    "\texcluded BOOLEAN NOT NULL, \n"
    "\tPRIMARY KEY (document_id, page_index), \n"
    "\tFOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE\n"
    ")",
    "CREATE TABLE cases (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tname TEXT NOT NULL, \n"
    "\tprofile_id VARCHAR(80) NOT NULL, \n"
    "\tsubmission_date DATE, \n"
    "\tnotes TEXT NOT NULL, \n"
    "\tcreated_at DATETIME NOT NULL, \n"
    "\tPRIMARY KEY (id), \n"
    "\tUNIQUE (name)\n"
    ")",
    "CREATE TABLE filings (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tcase_id INTEGER NOT NULL, \n"
    "\tslot_id VARCHAR(80) NOT NULL, \n"
    "\tdocument_id INTEGER NOT NULL, \n"
    "\trole VARCHAR(20) NOT NULL, \n"
    "\tposition INTEGER NOT NULL, \n"
    "\tparent_id INTEGER, \n"
    "\tPRIMARY KEY (id), \n"
    "\tCONSTRAINT uq_filing_once_per_slot UNIQUE (case_id, slot_id, document_id), \n"
    "\tFOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, \n"
    "\tFOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, \n"
    "\tFOREIGN KEY(parent_id) REFERENCES filings (id) ON DELETE SET NULL\n"
    ")",
    "CREATE INDEX ix_filings_case_slot ON filings (case_id, slot_id, position)",
    "CREATE INDEX ix_filings_document ON filings (document_id)",
    "CREATE TABLE exports (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tcase_id INTEGER NOT NULL, \n"
    "\tpath TEXT NOT NULL, \n"
    "\tpages INTEGER NOT NULL, \n"
    "\tsize INTEGER NOT NULL, \n"
    "\tsha256 VARCHAR(64) NOT NULL, \n"
    "\tcreated_at DATETIME NOT NULL, \n"
    "\tmanifest TEXT NOT NULL, \n"
    "\tPRIMARY KEY (id), \n"
    "\tFOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE\n"
    ")",
    "CREATE INDEX ix_exports_case_id ON exports (case_id)",
    "CREATE TABLE watched_files (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tfolder TEXT NOT NULL, \n"
    "\trel_path TEXT NOT NULL, \n"
    "\tsize INTEGER NOT NULL, \n"
    "\tmtime_ns INTEGER NOT NULL, \n"
    "\tsha256 VARCHAR(64), \n"
    "\tstatus VARCHAR(20) NOT NULL, \n"
    "\treason TEXT NOT NULL, \n"
    "\tdocument_id INTEGER, \n"
    "\thandled_at DATETIME NOT NULL, \n"
    "\tPRIMARY KEY (id), \n"
    "\tCONSTRAINT uq_watched_path UNIQUE (folder, rel_path), \n"
    "\tFOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE SET NULL\n"
    ")",
    "CREATE TABLE case_facts (\n"
    "\tcase_id INTEGER NOT NULL, \n"
    '\t"key" VARCHAR(40) NOT NULL, \n'
    "\tvalue TEXT NOT NULL, \n"
    '\tPRIMARY KEY (case_id, "key"), \n'
    "\tFOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE\n"
    ")",
    "CREATE TABLE slot_decisions (\n"
    "\tcase_id INTEGER NOT NULL, \n"
    "\tslot_id VARCHAR(80) NOT NULL, \n"
    "\tapplies BOOLEAN NOT NULL, \n"
    "\treason TEXT NOT NULL, \n"
    "\tPRIMARY KEY (case_id, slot_id), \n"
    "\tFOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE\n"
    ")",
    "CREATE TABLE filing_covers (\n"
    "\tfiling_id INTEGER NOT NULL, \n"
    "\toriginal_id INTEGER NOT NULL, \n"
    "\tPRIMARY KEY (filing_id, original_id), \n"
    "\tFOREIGN KEY(filing_id) REFERENCES filings (id) ON DELETE CASCADE, \n"
    "\tFOREIGN KEY(original_id) REFERENCES filings (id) ON DELETE CASCADE\n"
    ")",
    "CREATE TABLE page_texts (\n"
    "\tdocument_id INTEGER NOT NULL, \n"
    "\tpage_index INTEGER NOT NULL, \n"
    "\ttext TEXT NOT NULL, \n"
    "\tengine VARCHAR(40) NOT NULL, \n"
    "\tengine_version VARCHAR(80) NOT NULL, \n"
    "\tread_at DATETIME NOT NULL, \n"
    "\tPRIMARY KEY (document_id, page_index), \n"
    "\tFOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE\n"
    ")",
    "CREATE TABLE proposals (\n"
    "\tdocument_id INTEGER NOT NULL, \n"
    "\tfield VARCHAR(20) NOT NULL, \n"
    "\tvalue TEXT NOT NULL, \n"
    "\tpage INTEGER NOT NULL, \n"
    "\tevidence TEXT NOT NULL, \n"
    "\tPRIMARY KEY (document_id, field), \n"
    "\tFOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE\n"
    ")",
    "CREATE INDEX ix_documents_text_status ON documents (text_status)",
)
