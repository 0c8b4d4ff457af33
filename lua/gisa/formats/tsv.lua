-- tsv: csv with a tab delimiter (same header, quoting and list joining).
return require("gisa.formats.csv").new("\t")
