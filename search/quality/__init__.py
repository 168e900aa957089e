"""Search quality on known items: what a reader types to find an article again
(known_items.tsv), and how high the search ranks that article."""
