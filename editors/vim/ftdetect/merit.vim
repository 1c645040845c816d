" merit rule files
autocmd BufRead,BufNewFile *.merit setfiletype merit
