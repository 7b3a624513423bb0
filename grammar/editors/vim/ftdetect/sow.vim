" sow rule files
autocmd BufRead,BufNewFile *.sow setfiletype sow
