# gen_roster.awk -v n=N [-v seed=S]: a deterministic fictional roster of N
# records for benchmarks, in three scripts, every category and status.
# The names are random combinations of common given names and surnames:
# fictional people.
BEGIN {
	if (!seed) seed = 1
	split("Aram Tigran Narek Gor Samvel Vardan Ashot Hovhannes Mher Artur Edgar Khoren Levon Karen Armen Davit Gevorg Hayk", ge, " ")
	split("Арам Тигран Нарек Гор Самвел Вардан Ашот Ованес Мгер Артур Эдгар Хорен Левон Карен Армен Давид Геворк Айк", gr, " ")
	split("Արամ Տիգրան Նարեկ Գոռ Սամվել Վարդան Աշոտ Հովհաննես Մհեր Արթուր Էդգար Խորեն Լևոն Կարեն Արմեն Դավիթ Գևորգ Հայկ", gh, " ")
	split("Avetisyan Hovsepyan Melikyan Arakelyan Tsaturyan Ghazaryan Yesayan Poghosyan Nazaryan Babloyan Khachikyan Zakaryan Hakobyan Mkrtchyan", se, " ")
	split("Аветисян Овсепян Меликян Аракелян Цатурян Казарян Есаян Погосян Назарян Баблоян Хачикян Закарян Акопян Мкртчян", sr, " ")
	split("Ավետիսյան Հովսեփյան Մելիքյան Առաքելյան Ծատուրյան Ղազարյան Եսայան Պողոսյան Նազարյան Բաբլոյան Խաչիկյան Զաքարյան Հակոբյան Մկրտչյան", sh, " ")
	split("pow civilian hostage political missing", cat, " ")
	split("held awaiting_trial on_trial convicted released deceased missing", st, " ")
	print "id,category,name_en,name_ru,name_hy,birth_date,detained_on,detained_place_en,detained_place_ru,detained_place_hy,status,acknowledged,charges_en,charges_ru,charges_hy,court,verdict_date,sentence_years,health_en,health_ru,health_hy,circumstances_en,circumstances_ru,circumstances_hy,sources"
	x = seed
	for (i = 1; i <= n; i++) {
		x = (x * 1103515245 + 12345) % 2147483648; g = x % 18 + 1
		x = (x * 1103515245 + 12345) % 2147483648; s = x % 14 + 1
		x = (x * 1103515245 + 12345) % 2147483648; c = x % 5 + 1
		x = (x * 1103515245 + 12345) % 2147483648; t = x % 7 + 1
		if (cat[c] == "missing") t = 7
		if (cat[c] == "political") { y = 2023; m = 9 + x % 2; d = 19 + x % 10 }
		else { y = 2020 + x % 2; m = (y == 2020) ? 10 + x % 3 : 1 + x % 12; d = 1 + x % 28 }
		dt = sprintf("%04d-%02d-%02d", y, m, d)
		sent = ""; court = ""; vd = ""; ch_en = ""; ch_ru = ""; ch_hy = ""
		if (st[t] == "convicted" || st[t] == "on_trial" || st[t] == "awaiting_trial") {
			court = "Baku Military Court"
			ch_en = "illegal border crossing; illegal possession of weapons (as reported)"
			ch_ru = "незаконное пересечение границы; незаконное хранение оружия (по имеющимся сведениям)"
			ch_hy = "սահմանի ապօրինի հատում, զենքի ապօրինի պահում (ըստ հաղորդումների)"
		}
		if (st[t] == "convicted") { sent = 1 + x % 20; vd = sprintf("%04d-%02d-%02d", y + 1 + (y == 2023 ? 2 : 0), 1 + x % 12, 1 + x % 28) }
		h_en = h_ru = h_hy = ""
		if (x % 4 == 0) { h_en = "Reported to need regular medical care."; h_ru = "По имеющимся сведениям, нуждается в постоянной медицинской помощи."; h_hy = "Ըստ հաղորդումների՝ կարիք ունի մշտական բժշկական օգնության։" }
		ack = (x % 3 == 0) ? "no" : "yes"
		printf "B%06d,%s,%s %s,%s %s,%s %s,%d-%02d-%02d,%s,near a village in the Hadrut region,близ села в Гадрутском районе,Հադրութի շրջանի գյուղերից մեկի մոտ,%s,%s,\"%s\",\"%s\",\"%s\",%s,%s,%s,\"%s\",\"%s\",\"%s\",\"Captured near a village, according to relatives; seen in a video published soon after, in uniform. No contact with the family since the capture.\",\"Захвачен близ села, по словам родственников; вскоре после этого появился на опубликованном видео в военной форме. С момента пленения связи с семьёй нет.\",\"Գերեվարվել է գյուղի մոտ, ըստ հարազատների․ շուտով հայտնվել է հրապարակված տեսանյութում՝ համազգեստով։ Գերեվարումից ի վեր ընտանիքի հետ կապ չունի։\",https://example.org/fictional/b%06d\n", \
			i, cat[c], ge[g], se[s], gr[g], sr[s], gh[g], sh[s], 1960 + x % 40, 1 + x % 12, 1 + x % 28, dt, st[t], ack, ch_en, ch_ru, ch_hy, court, vd, sent, h_en, h_ru, h_hy, i
	}
}
