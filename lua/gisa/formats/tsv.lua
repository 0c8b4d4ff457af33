-- tsv: csv with a tab delimiter (same header and list joining), one record a
-- line: tab, newline, CR and backslash escaped as \t \n \r \\, never quoted.
return require("gisa.formats.csv").new("\t")
