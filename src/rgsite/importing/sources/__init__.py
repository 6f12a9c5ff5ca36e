"""Reading an old archive's files into entries: Jekyll and Hugo sites, YAML talk lists, CSV."""
