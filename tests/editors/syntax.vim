" Prints the filetype and the syntax group at each LINE:COL of positions.txt.
set nocompatible
let &rtp = $SOW_TOP . '/grammar/editors/vim,' . &rtp
filetype on
syntax on
execute 'edit ' . $SOW_TOP . '/tests/editors/sample.sow'
let out = ['filetype ' . &filetype]
for p in readfile($SOW_TOP . '/tests/editors/positions.txt')
  let [l, c] = split(p, ':')
  call add(out, p . ' ' . synIDattr(synID(str2nr(l), str2nr(c), 1), 'name'))
endfor
call writefile(out, $VT_OUT)
qa!
