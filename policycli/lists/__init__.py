"""lists: published lists in and out of the schema — a list in any layout and format (text,
Word, Excel, a saved web page, PDF) read into rows, then by meaning into a draft dataset with its
problems reported; and two datasets compared policy by policy."""
