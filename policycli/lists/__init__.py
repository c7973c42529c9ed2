"""lists: official lists in and out of the schema — a published list (.txt or .docx) read into a
draft dataset with its problems reported, and two datasets compared policy by policy."""
