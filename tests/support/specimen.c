/* specimen.c: the sample documents of specimen.h. The texts of the three
 * languages are tables of strings; one builder lays them out, so the three
 * specimens have the same structure. */
#include "specimen.h"
#include "doc.h"
#include "sbuf.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

struct texts {
	const char *lang;
	const char *title, *header, *footer, *pages;
	const char *h_summary, *h_circ, *h_chron, *h_legal, *h_req, *h_annex;
	const char *h_sub_grounds, *h_sub_family;
	const char *labels[6], *values[6];
	const char *p1a, *p1b, *p1c;          /* p1a **p1b** p1c [1] */
	const char *p2a, *p2b, *p2c, *p2link; /* p2a *p2b* p2c LINK. */
	const char *p2end;
	const char *p_names;
	const char *p_legal, *p_legal2, *p_end;
	const char *notes[4];
	const char *bullets[3], *sub[2];
	const char *numbers[4];
	const char *cols[3];
	const char *events[4], *sources[4];
	const char *caption;
};

static const struct texts en = {
	"en",
	"Brief: Arshaluys Ter-Khachaturyants-Melikbekyan",
	"Dossier \xC2\xB7 fictional specimen", "SPEC-001", "Page {page} of {pages}",
	"Summary", "Circumstances of detention", "Chronology",
	"Legal grounds for release", "Requests", "Annex: photographs",
	"Obligations of the detaining state", "Applications by the family",
	{ "Name", "Born", "Detained", "Place", "Status", "Category" },
	{ "Arshaluys Ter-Khachaturyants-Melikbekyan", "21 May 1987",
	  "14 December 2020", "near the village of Khtsaberd (fictional record)",
	  "held, awaiting trial", "civilian" },
	"This brief concerns a fictional person and exists only to show how "
	"dossier sets type. The person described was detained on 14 December "
	"2020, after the ceasefire statement of 9/10 November 2020 had entered "
	"into force, and has been held since then without any public charge. ",
	"Paragraph 8",
	" of that statement provides for the exchange of prisoners of war and "
	"other detained persons and of the bodies of the dead.",
	"The detaining authorities acknowledged the detention in a letter of "
	"3 March 2021 (", "see the annex",
	"). Relatives have had no visit since; the International Committee of "
	"the Red Cross reported one visit. The full text of the statement is "
	"published at ", "https://example.org/statement-2020", ".",
	"Applications were filed by family members Astghik "
	"Ter-Minasyants-Khachikyan, Grigor Melik-Shahnazaryants and Siranush "
	"Arghutyan-Yerkaynabazuk, each of them more than once.",
	"Article 118 of the Third Geneva Convention requires that prisoners of "
	"war be released and repatriated without delay after the cessation of "
	"active hostilities. The obligation is unconditional: it does not "
	"depend on reciprocity, on the conclusion of a peace treaty, or on the "
	"outcome of any criminal proceedings unrelated to the conflict.",
	"Civilians interned during the conflict enjoy the same protection "
	"under Articles 132 and 133 of the Fourth Convention, and arbitrary "
	"detention is prohibited by Article 9 of the International Covenant "
	"on Civil and Political Rights.",
	"The delegation asks that the requests below be answered in writing.",
	{ "Trilateral statement of 9/10 November 2020, paragraph 8.",
	  "Geneva Convention (III) relative to the Treatment of Prisoners of "
	  "War, Article 118.",
	  "Letter on file; a copy is kept by the delegation.",
	  "Geneva Convention (IV), Articles 132\xE2\x80\x93" "133." },
	{ "Immediate release and return under paragraph 8 of the statement.",
	  "Access for the International Committee of the Red Cross at regular "
	  "intervals:",
	  "Information for the family about health and place of detention." },
	{ "private interviews with the detainee;",
	  "a medical examination by an independent doctor." },
	{ "The statement of 9/10 November 2020, paragraph 8.",
	  "Geneva Convention (III), Article 118: release without delay after "
	  "the cessation of active hostilities.",
	  "Geneva Convention (IV), Articles 132\xE2\x80\x93" "133, for civilians.",
	  "International Covenant on Civil and Political Rights, Article 9." },
	{ "Date", "Event", "Source" },
	{ "Request for a family visit No. %d submitted",
	  "Reply received: the request was declined without stated reasons",
	  "Hearing adjourned; the defence was not given the case file",
	  "Letter No. %d to the ombudsperson about conditions of detention" },
	{ "Family", "Ministry letter", "Court record", "Ombudsperson" },
	"Placeholder images; no photograph of a real person is used.",
};

static const struct texts ru = {
	"ru",
	"Справка: Аршалуйс Тер-Хачатурянц-Меликбекян",
	"Dossier \xC2\xB7 вымышленный образец", "SPEC-001",
	"Страница {page} из {pages}",
	"Краткое изложение", "Обстоятельства задержания", "Хронология",
	"Правовые основания для освобождения", "Просьбы",
	"Приложение: фотографии",
	"Обязательства задерживающего государства", "Обращения семьи",
	{ "Имя", "Дата рождения", "Задержан", "Место", "Статус", "Категория" },
	{ "Аршалуйс Тер-Хачатурянц-Меликбекян", "21 мая 1987 года",
	  "14 декабря 2020 года", "близ села Хцаберд (вымышленная запись)",
	  "под стражей, ожидает суда", "гражданское лицо" },
	"Эта справка касается вымышленного лица и служит лишь для "
	"демонстрации того, как dossier набирает текст. Описанное лицо было "
	"задержано 14 декабря 2020 года, после вступления в силу заявления о "
	"прекращении огня от 9/10 ноября 2020 года, и с тех пор содержится под "
	"стражей без публичного обвинения. ",
	"Пункт 8",
	" этого заявления предусматривает обмен военнопленными и другими "
	"задержанными лицами, а также телами погибших.",
	"Задержавшие власти признали факт задержания в письме от 3 марта "
	"2021 года (", "см. приложение",
	"). С тех пор родственникам не было предоставлено ни одного свидания; "
	"Международный комитет Красного Креста сообщил об одном посещении. "
	"Полный текст заявления опубликован по адресу ",
	"https://example.org/statement-2020", ".",
	"Заявления подавали члены семьи Астгик Тер-Минасянц-Хачикян, Григор "
	"Мелик-Шахназарянц и Сирануш Аргутян-Еркайнабазук, каждый не один раз.",
	"Статья 118 Третьей Женевской конвенции требует, чтобы военнопленные "
	"были освобождены и репатриированы без промедления после прекращения "
	"активных военных действий. Это обязательство безусловно: оно не "
	"зависит ни от взаимности, ни от заключения мирного договора, ни от "
	"исхода какого-либо уголовного преследования, не связанного с "
	"конфликтом.",
	"Гражданские лица, интернированные во время конфликта, пользуются "
	"такой же защитой согласно статьям 132 и 133 Четвёртой конвенции, а "
	"произвольное задержание запрещено статьёй 9 Международного пакта о "
	"гражданских и политических правах.",
	"Делегация просит дать письменный ответ на следующие просьбы.",
	{ "Трёхстороннее заявление от 9/10 ноября 2020 года, пункт 8.",
	  "Женевская конвенция (III) об обращении с военнопленными, "
	  "статья 118.",
	  "Письмо имеется в деле; копия хранится у делегации.",
	  "Женевская конвенция (IV), статьи 132\xE2\x80\x93" "133." },
	{ "Немедленное освобождение и возвращение согласно пункту 8 заявления.",
	  "Регулярный доступ Международного комитета Красного Креста:",
	  "Информирование семьи о состоянии здоровья и месте содержания." },
	{ "беседы с задержанным без свидетелей;",
	  "медицинский осмотр независимым врачом." },
	{ "Заявление от 9/10 ноября 2020 года, пункт 8.",
	  "Женевская конвенция (III), статья 118: освобождение без промедления "
	  "после прекращения активных военных действий.",
	  "Женевская конвенция (IV), статьи 132\xE2\x80\x93" "133, для "
	  "гражданских лиц.",
	  "Международный пакт о гражданских и политических правах, статья 9." },
	{ "Дата", "Событие", "Источник" },
	{ "Подана просьба о свидании с семьёй № %d",
	  "Получен ответ: в просьбе отказано без объяснения причин",
	  "Заседание отложено; защите не предоставлены материалы дела",
	  "Письмо № %d омбудсмену об условиях содержания" },
	{ "Семья", "Письмо министерства", "Протокол суда", "Омбудсмен" },
	"Изображения-заполнители; фотографии реальных людей не используются.",
};

static const struct texts hy = {
	"hy",
	"Տեղեկանք. Արշալույս Տեր-Խաչատուրյանց-Մելիքբեկյան",
	"Dossier \xC2\xB7 հորինված նմուշ", "SPEC-001", "Էջ {page}/{pages}",
	"Ամփոփում", "Ձերբակալման հանգամանքները", "Ժամանակագրություն",
	"Ազատ արձակման իրավական հիմքերը", "Խնդրանքներ",
	"Հավելված. լուսանկարներ",
	"Պահող պետության պարտավորությունները", "Ընտանիքի դիմումները",
	{ "Անուն", "Ծննդյան ամսաթիվ", "Ձերբակալվել է", "Վայր", "Կարգավիճակ",
	  "Կատեգորիա" },
	{ "Արշալույս Տեր-Խաչատուրյանց-Մելիքբեկյան", "1987 թ. մայիսի 21",
	  "2020 թ. դեկտեմբերի 14", "Խծաբերդ գյուղի մոտ (հորինված գրառում)",
	  "կալանքի տակ, սպասում է դատավարության", "քաղաքացիական անձ" },
	"Այս տեղեկանքը վերաբերում է հորինված անձի և ծառայում է միայն ցույց "
	"տալու, թե ինչպես է dossier-ը շարվածք կազմում։ Նկարագրված անձը "
	"ձերբակալվել է 2020 թվականի դեկտեմբերի 14-ին՝ 2020 թվականի նոյեմբերի "
	"9/10-ի հրադադարի մասին հայտարարության ուժի մեջ մտնելուց հետո, և այդ "
	"ժամանակվանից պահվում է կալանքի տակ՝ առանց հրապարակային "
	"մեղադրանքի։ Այդ հայտարարության ",
	"8-րդ կետը",
	" նախատեսում է ռազմագերիների և այլ պահվող անձանց, ինչպես նաև "
	"զոհվածների մարմինների փոխանակում։",
	"Ձերբակալած իշխանությունները ձերբակալման փաստը ճանաչել են 2021 "
	"թվականի մարտի 3-ի նամակով (", "տե՛ս հավելվածը",
	")։ Այդ ժամանակվանից ի վեր հարազատներին ոչ մի տեսակցություն չի "
	"տրամադրվել, իսկ Կարմիր խաչի միջազգային կոմիտեն հայտնել է մեկ այցի "
	"մասին։ Հայտարարության ամբողջական տեքստը հրապարակված է ",
	"https://example.org/statement-2020", " հասցեով։",
	"Ընտանիքի անդամներից դիմումներ են ներկայացրել Աստղիկ "
	"Տեր-Մինասյանց-Խաչիկյանը, Գրիգոր Մելիք-Շահնազարյանցը և Սիրանուշ "
	"Արղության-Երկայնաբազուկը, յուրաքանչյուրը՝ մեկից ավելի անգամ։",
	"Ժնևի երրորդ կոնվենցիայի 118-րդ հոդվածը պահանջում է, որ ռազմագերիներն "
	"ազատ արձակվեն և հայրենադարձվեն առանց հապաղելու՝ ակտիվ ռազմական "
	"գործողությունների դադարեցումից հետո։ Այս պարտավորությունն անվերապահ "
	"է. այն կախված չէ ոչ փոխադարձությունից, ոչ խաղաղության պայմանագրի "
	"կնքումից, ոչ էլ հակամարտության հետ չկապված որևէ քրեական վարույթի "
	"ելքից։",
	"Հակամարտության ընթացքում ինտերնացված քաղաքացիական անձինք օգտվում են "
	"նույն պաշտպանությունից՝ Չորրորդ կոնվենցիայի 132-րդ և 133-րդ "
	"հոդվածների համաձայն, իսկ կամայական կալանքն արգելված է Քաղաքացիական "
	"և քաղաքական իրավունքների մասին միջազգային դաշնագրի 9-րդ հոդվածով։",
	"Պատվիրակությունը խնդրում է ստորև նշված խնդրանքներին գրավոր "
	"պատասխանել։",
	{ "2020 թվականի նոյեմբերի 9/10-ի եռակողմ հայտարարություն, 8-րդ կետ։",
	  "Ռազմագերիների հետ վարվելակերպի մասին Ժնևի (III) կոնվենցիա, "
	  "հոդված 118։",
	  "Նամակը կցված է գործին, պատճենը պահվում է պատվիրակության մոտ։",
	  "Ժնևի (IV) կոնվենցիա, հոդվածներ 132\xE2\x80\x93" "133։" },
	{ "Անհապաղ ազատ արձակում և վերադարձ՝ հայտարարության 8-րդ կետի "
	  "համաձայն։",
	  "Կարմիր խաչի միջազգային կոմիտեի պարբերական մուտք՝",
	  "Ընտանիքին տեղեկատվություն առողջական վիճակի և պահման վայրի մասին։" },
	{ "առանձին զրույցներ կալանավորի հետ",
	  "բժշկական զննում անկախ բժշկի կողմից" },
	{ "2020 թվականի նոյեմբերի 9/10-ի հայտարարություն, 8-րդ կետ։",
	  "Ժնևի (III) կոնվենցիա, հոդված 118. ազատ արձակում առանց հապաղելու՝ "
	  "ակտիվ ռազմական գործողությունների դադարեցումից հետո։",
	  "Ժնևի (IV) կոնվենցիա, հոդվածներ 132\xE2\x80\x93" "133, քաղաքացիական "
	  "անձանց համար։",
	  "Քաղաքացիական և քաղաքական իրավունքների մասին միջազգային դաշնագիր, "
	  "հոդված 9։" },
	{ "Ամսաթիվ", "Իրադարձություն", "Աղբյուր" },
	{ "Ներկայացվել է ընտանիքի հետ տեսակցության № %d խնդրանքը",
	  "Ստացվել է պատասխան. խնդրանքը մերժվել է առանց պատճառաբանության",
	  "Նիստը հետաձգվել է, պաշտպանությանը չեն տրամադրվել գործի նյութերը",
	  "№ %d նամակ մարդու իրավունքների պաշտպանին պահման պայմանների մասին" },
	{ "Ընտանիք", "Նախարարության նամակ", "Դատական արձանագրություն",
	  "Մարդու իրավունքների պաշտպան" },
	"Պատկերները պայմանական են. իրական մարդկանց լուսանկարներ չեն "
	"օգտագործվում։",
};

#define SP(t) { .text = (t), .source = src }

static void para1(doc *d, const struct texts *t, int note, const char *src)
{
	struct doc_span s[] = {
		SP(t->p1a),
		{ .text = t->p1b, .style = DOC_BOLD, .source = src },
		SP(t->p1c),
		{ .footnote = note, .source = src },
	};
	doc_para(d, DOC_JUSTIFY, s, ARRAY_SIZE(s));
}

static void para2(doc *d, const struct texts *t, int note, const char *src)
{
	struct doc_span s[] = {
		SP(t->p2a),
		{ .text = t->p2b, .style = DOC_ITALIC, .source = src },
		SP(t->p2c),
		{ .text = t->p2link, .uri = t->p2link, .source = src },
		SP(t->p2end),
		{ .footnote = note, .source = src },
	};
	doc_para(d, DOC_JUSTIFY, s, ARRAY_SIZE(s));
}

static void plain(doc *d, enum doc_align a, const char *text, int note,
		  const char *src)
{
	struct doc_span s[] = { SP(text), { .footnote = note, .source = src } };
	doc_para(d, a, s, note ? 2 : 1);
}

static void heading(doc *d, int level, const char *text, const char *src)
{
	struct doc_span s[] = { SP(text) };
	doc_heading(d, level, s, 1);
}

static void item(doc *d, const char *text, const char *src)
{
	struct doc_span s[] = { SP(text) };
	doc_list_item(d, s, 1);
}

static void cell(doc *d, const char *text, unsigned style, const char *src)
{
	struct doc_span s[] = { { .text = text, .style = style, .source = src } };
	doc_table_cell(d, s, 1);
}

static int footnote(doc *d, const struct texts *t, int i, const char *src)
{
	char label[8];
	struct doc_span s[] = { SP(t->notes[i]) };
	snprintf(label, sizeof(label), "%d", i + 1);
	return doc_footnote(d, label, s, 1);
}

static void facts(doc *d, const struct texts *t, const char *src)
{
	doc_facts_begin(d);
	for (int i = 0; i < 6; i++) {
		struct doc_span l[] = { SP(t->labels[i]) };
		struct doc_span v[] = { SP(t->values[i]) };
		doc_fact(d, l, 1, v, 1);
	}
	doc_facts_end(d);
}

static void chronology(doc *d, const struct texts *t, int rows,
		       const char *src)
{
	static const double widths[3] = { 1.0, 3.2, 1.5 };
	char buf[256], date[32];

	doc_table_begin(d, 3, widths, 1);
	for (int c = 0; c < 3; c++)
		cell(d, t->cols[c], 0, src);
	for (int r = 0; r < rows; r++) {
		snprintf(date, sizeof(date), "%04d-%02d-%02d", 2021 + r / 12,
			 r % 12 + 1, (r * 7) % 27 + 1);
		cell(d, date, 0, src);
		snprintf(buf, sizeof(buf), t->events[r % 4], r + 1);
		if (r == 40) {
			/* a long cell, which may continue on the next page */
			struct doc_span sp[] = { SP(t->p_legal), SP(" "),
						 SP(t->p_legal2) };
			doc_table_cell(d, sp, ARRAY_SIZE(sp));
		} else {
			cell(d, buf, 0, src);
		}
		cell(d, t->sources[r % 4], r % 4 == 2 ? DOC_ITALIC : 0, src);
	}
	doc_table_end(d);
}

static void requests(doc *d, const struct texts *t, const char *src)
{
	doc_list_begin(d, DOC_BULLETS);
	item(d, t->bullets[0], src);
	item(d, t->bullets[1], src);
	doc_list_begin(d, DOC_BULLETS);
	item(d, t->sub[0], src);
	item(d, t->sub[1], src);
	doc_list_end(d);
	item(d, t->bullets[2], src);
	doc_list_end(d);
}

static void grounds(doc *d, const struct texts *t, const char *src)
{
	doc_list_begin(d, DOC_NUMBERS);
	for (int i = 0; i < 4; i++)
		item(d, t->numbers[i], src);
	doc_list_end(d);
}

int specimen_build(doc *d, const char *lang, enum specimen_kind kind,
		   const char *img_dir)
{
	const struct texts *t = !strcmp(lang, "en") ? &en
		: !strcmp(lang, "ru") ? &ru : !strcmp(lang, "hy") ? &hy : NULL;
	const char *src = kind == SPECIMEN_FULL ? "specimen (full)"
		: kind == SPECIMEN_SHORT ? "specimen (short)"
		: "specimen (brief)";
	struct sbuf path = SBUF_INIT;
	int n1, n2, n3, n4;

	if (!t)
		return -1;
	doc_set_info(d, DOC_TITLE, t->title);
	doc_set_info(d, DOC_AUTHOR, "dossier");
	doc_set_info(d, DOC_SUBJECT, t->h_summary);
	doc_set_info(d, DOC_KEYWORDS, "specimen, typesetting");
	doc_set_date(d, 2024, 5, 17, 10, 30, 0);
	doc_set_hyphenate(d, 1);
	doc_set_page_text(d, t->header, t->footer, t->pages);

	n1 = footnote(d, t, 0, src);
	n2 = footnote(d, t, 1, src);
	n3 = footnote(d, t, 2, src);
	n4 = footnote(d, t, 3, src);

	heading(d, 1, t->title, src);
	if (kind != SPECIMEN_BRIEF)
		facts(d, t, src);
	heading(d, 2, t->h_summary, src);
	para1(d, t, n1, src);
	para2(d, t, n3, src);

	if (kind == SPECIMEN_BRIEF) {
		for (int i = 0; i < 5; i++) {
			heading(d, 2, i % 2 ? t->h_legal : t->h_circ, src);
			plain(d, DOC_JUSTIFY, t->p_legal, 0, src);
			plain(d, DOC_LEFT, t->p_names, 0, src);
			plain(d, DOC_JUSTIFY, t->p_legal2, 0, src);
			para1(d, t, 0, src);
		}
		sbuf_release(&path);
		return 0;
	}

	heading(d, 2, t->h_circ, src);
	plain(d, DOC_LEFT, t->p_names, 0, src);
	requests(d, t, src);
	doc_rule(d);
	sbuf_addf(&path, "%s/landscape.png", img_dir);
	doc_image(d, path.buf, 220, 0, src);
	plain(d, DOC_LEFT, t->caption, 0, src);

	if (kind == SPECIMEN_SHORT) {
		heading(d, 2, t->h_chron, src);
		chronology(d, t, 5, src);
		sbuf_release(&path);
		return 0;
	}

	heading(d, 2, t->h_legal, src);
	heading(d, 3, t->h_sub_grounds, src);
	plain(d, DOC_JUSTIFY, t->p_legal, n2, src);
	grounds(d, t, src);
	plain(d, DOC_JUSTIFY, t->p_legal2, n4, src);
	heading(d, 2, t->h_chron, src);
	chronology(d, t, 64, src);
	heading(d, 2, t->h_req, src);
	plain(d, DOC_JUSTIFY, t->p_end, 0, src);
	requests(d, t, src);
	heading(d, 3, t->h_sub_family, src);
	/* Notes on every paragraph, so that some reference falls on the
	 * last lines of a page. */
	for (int i = 0; i < 4; i++) {
		plain(d, DOC_JUSTIFY, t->p_legal, n2, src);
		plain(d, DOC_JUSTIFY, t->p_legal2, n4, src);
	}
	doc_page_break(d);
	heading(d, 2, t->h_annex, src);
	doc_keep_begin(d);
	sbuf_reset(&path);
	sbuf_addf(&path, "%s/portrait.jpg", img_dir);
	doc_image(d, path.buf, 0, 180, src);
	plain(d, DOC_LEFT, t->caption, 0, src);
	doc_keep_end(d);
	sbuf_release(&path);
	return 0;
}
