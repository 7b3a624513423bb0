# The CSV record reader, case by case against the RFC 4180 grammar
#   file = [header CRLF] record *(CRLF record) [CRLF]
#   field = (escaped / non-escaped); escaped = DQUOTE *(TEXTDATA / COMMA / CR / LF / 2DQUOTE) DQUOTE
# and the kinds of case of the csv-spectrum conformance corpus (comma in
# quotes, empty fields, escaped quotes, JSON in a field, newlines, CRLF,
# UTF-8), in cases of our own. Every value is shown quoted, with CR and LF
# made visible; NULL is an empty field.
sow init "$DB"
show() {
	sqlite3 "$DB" "SELECT coalesce(quote(replace(replace(id, char(13), '\\r'), char(10), '\\n')), 'NULL') || ' ' ||
		coalesce(quote(replace(replace(customer, char(13), '\\r'), char(10), '\\n')), 'NULL') || ' ' ||
		coalesce(quote(replace(replace(title, char(13), '\\r'), char(10), '\\n')), 'NULL') FROM service_logs ORDER BY rowid"
	sqlite3 "$DB" "DELETE FROM service_logs"
}
case_() { # name, then the file's bytes as printf takes them
	echo "-- $1"
	printf "$2" > c.csv
	sow import "$DB" service_logs c.csv; echo "exit $?"
	show
}
case_ "simple" 'id,customer,title\nS-1,ACME,Setup\nS-2,Globex,Upgrade\n'
case_ "simple, CRLF" 'id,customer,title\r\nS-1,ACME,Setup\r\nS-2,Globex,Upgrade\r\n'
case_ "no final line end" 'id,customer,title\nS-1,ACME,Setup'
case_ "no final line end, CRLF" 'id,customer,title\r\nS-1,ACME,Setup'
case_ "an empty last field, then the end of the file" 'id,customer,title\nS-1,a,b\nS-2,c,'
case_ "an empty last field, then a line end" 'id,customer,title\nS-1,a,b\nS-2,c,\n'
case_ "two empty last fields at the end of the file" 'id,customer,title\nS-1,,'
case_ "a CR then the end of the file" 'id,customer,title\r\nS-1,a,b\r'
case_ "empty fields, quoted and not" 'id,customer,title\nS-1,"",""\nS-2,,x\n'
case_ "empty fields, CRLF" 'id,customer,title\r\nS-1,"",""\r\nS-2,,x\r\n'
case_ "a comma in quotes" 'id,customer,title\nS-1,"Anytown, WW",x\n'
case_ "escaped quotes" 'id,customer,title\nS-1,"say ""hi""",""""\n'
case_ "JSON in a field" 'id,customer,title\nS-1,x,"{""a"": 1, ""b"": [2, 3]}"\n'
case_ "newlines in quotes" 'id,customer,title\nS-1,"line 1\nline 2",x\nS-2,y,z\n'
case_ "CRLF in quotes" 'id,customer,title\r\nS-1,"line 1\r\nline 2",x\r\nS-2,y,z\r\n'
case_ "quotes and newlines" 'id,customer,title\nS-1,"a ""quoted""\nline",x\n'
case_ "UTF-8, with a byte order mark" '\357\273\277id,customer,title\nS-1,Müller GmbH,Café €\n'
case_ "spaces are part of a field" 'id,customer,title\nS-1, a , b \n'
case_ "a quoted last field at the end of the file" 'id,customer,title\nS-1,a,"b"'
case_ "columns in another order, a blank line at the end" 'title,id,customer\nx,S-1,a\n\n'
echo "-- malformed: the file is refused whole, with the physical line"
case_ "a quote inside an unquoted field" 'id,customer,title\nS-1,a"b,c\n'
case_ "text after a closing quote" 'id,customer,title\nS-1,"a"b,c\n'
case_ "a quoted field not closed" 'id,customer,title\nS-1,"a,b\nS-2,c,d\n'
case_ "too few fields" 'id,customer,title\nS-1,a\n'
case_ "too many fields" 'id,customer,title\nS-1,a,b,c\n'
case_ "a bad record after a quoted newline names its own line" 'id,customer,title\nS-1,"x\ny",z\nS-2,a\n'
rm -f c.csv
