-- The publisher directory: facts about Korean news outlets, as Lua data.
-- gisa.publishers reads it to name the `publisher` of an article from what the
-- text shows (a wire dateline "(서울=연합뉴스)", a tag "[서울경제]", the e-mail
-- domain of its own reporters, the copyright line "ⓒ 마이데일리") and to map a
-- web or e-mail domain, an og:site_name or an alias (MTN) to one name.
--
-- One entry per outlet:
--   name      the name readers know (what `publisher` holds)
--   kind      agency, national, economic, broadcast, it, online, sports, regional, english
--   aliases   other names it is printed under (short names, English, old names)
--   web       web domains (a subdomain of one matches: news.kbs.co.kr)
--   email     e-mail domains of its reporters, when not the same as web
--   dateline  true when it prints "(도시=NAME)" datelines (the wire agencies and many dailies)
--   tags      forms of its tag opening the first paragraph, besides "[name]"
--   copyright owner names of its copyright line, besides its name and aliases
--
-- A user extends it with DIR/rules/publishers.lua on the search path (-I DIR,
-- GISA_PATH), returning { outlets = { … } }: an entry with the name of a
-- shipped one adds to its lists (and replaces its kind); a new name adds an
-- outlet. docs/rules.md, "The publisher directory".

return { outlets = {
  -- news agencies
  { name = "연합뉴스", kind = "agency", aliases = { "Yonhap", "YNA" }, web = { "yna.co.kr", "yonhapnews.co.kr" },
    dateline = true },
  { name = "뉴시스", kind = "agency", aliases = { "NEWSIS" }, web = { "newsis.com" }, dateline = true },
  { name = "뉴스1", kind = "agency", aliases = { "뉴스1코리아", "News1" }, web = { "news1.kr" }, dateline = true },
  { name = "뉴스핌", kind = "agency", aliases = { "NewsPim" }, web = { "newspim.com" }, dateline = true },

  -- national dailies
  { name = "조선일보", kind = "national", aliases = { "조선닷컴" }, web = { "chosun.com" } },
  { name = "중앙일보", kind = "national", aliases = { "중앙일보사" }, web = { "joongang.co.kr", "joins.com" } },
  { name = "동아일보", kind = "national", aliases = { "동아닷컴" }, web = { "donga.com" } },
  { name = "한겨레", kind = "national", aliases = { "한겨레신문" }, web = { "hani.co.kr" } },
  { name = "경향신문", kind = "national", aliases = { "경향닷컴" }, web = { "khan.co.kr" } },
  { name = "한국일보", kind = "national", aliases = { "한국아이닷컴" }, web = { "hankookilbo.com" } },
  { name = "국민일보", kind = "national", aliases = {}, web = { "kmib.co.kr" } },
  { name = "세계일보", kind = "national", aliases = {}, web = { "segye.com" } },
  { name = "서울신문", kind = "national", aliases = {}, web = { "seoul.co.kr" } },
  { name = "문화일보", kind = "national", aliases = {}, web = { "munhwa.com" } },
  { name = "내일신문", kind = "national", aliases = {}, web = { "naeil.com" } },

  -- economic dailies
  { name = "한국경제", kind = "economic", aliases = { "한경", "한경닷컴", "한국경제신문" }, web = { "hankyung.com" } },
  { name = "매일경제", kind = "economic", aliases = { "매경", "매일경제신문" }, web = { "mk.co.kr" } },
  { name = "서울경제", kind = "economic", aliases = { "서울경제신문" }, web = { "sedaily.com" }, dateline = true },
  { name = "머니투데이", kind = "economic", aliases = { "머투" }, web = { "mt.co.kr" } },
  { name = "이데일리", kind = "economic", aliases = { "eDaily" }, web = { "edaily.co.kr" } },
  { name = "파이낸셜뉴스", kind = "economic", aliases = { "파이낸셜" }, web = { "fnnews.com" }, dateline = true },
  { name = "아시아경제", kind = "economic", aliases = { "아경" }, web = { "asiae.co.kr" } },
  { name = "헤럴드경제", kind = "economic", aliases = { "헤럴드" }, web = { "heraldcorp.com" }, dateline = true },
  { name = "아주경제", kind = "economic", aliases = {}, web = { "ajunews.com" } },
  { name = "이투데이", kind = "economic", aliases = {}, web = { "etoday.co.kr" } },
  { name = "조선비즈", kind = "economic", aliases = {}, web = { "chosunbiz.com", "biz.chosun.com" } },
  { name = "비즈니스워치", kind = "economic", aliases = {}, web = { "bizwatch.co.kr" } },
  { name = "머니S", kind = "economic", aliases = { "머니에스" }, web = { "moneys.co.kr", "moneys.mt.co.kr" } },
  { name = "서울파이낸스", kind = "economic", aliases = {}, web = { "seoulfn.com" } },
  { name = "뉴스토마토", kind = "economic", aliases = {}, web = { "newstomato.com" } },
  { name = "대한경제", kind = "economic", aliases = {}, web = { "dnews.co.kr" } },
  { name = "에너지경제", kind = "economic", aliases = { "에너지경제신문" }, web = { "ekn.kr" } },
  { name = "뉴스웨이", kind = "economic", aliases = {}, web = { "newsway.co.kr" } },
  { name = "디지털타임스", kind = "economic", aliases = {}, web = { "dt.co.kr" } },
  { name = "전자신문", kind = "it", aliases = { "전자신문인터넷" }, web = { "etnews.com" } },

  -- broadcasters
  { name = "KBS", kind = "broadcast", aliases = { "한국방송", "한국방송공사", "KBS뉴스" }, web = { "kbs.co.kr" } },
  { name = "MBC", kind = "broadcast", aliases = { "문화방송", "MBC뉴스" }, web = { "imbc.com" } },
  { name = "SBS", kind = "broadcast", aliases = { "SBS뉴스" }, web = { "sbs.co.kr" } },
  { name = "YTN", kind = "broadcast", aliases = {}, web = { "ytn.co.kr" } },
  { name = "JTBC", kind = "broadcast", aliases = {}, web = { "jtbc.co.kr" }, email = { "jtbc.co.kr" } },
  { name = "MBN", kind = "broadcast", aliases = { "매일방송" }, web = { "mbn.co.kr" } },
  { name = "TV조선", kind = "broadcast", aliases = {}, web = { "tvchosun.com" } },
  { name = "채널A", kind = "broadcast", aliases = {}, web = { "ichannela.com" } },
  { name = "연합뉴스TV", kind = "broadcast", aliases = {}, web = { "yonhapnewstv.co.kr" } },
  { name = "머니투데이방송", kind = "broadcast", aliases = { "MTN" }, web = { "mtn.co.kr" } },
  { name = "SBS Biz", kind = "broadcast", aliases = { "SBSBiz", "SBS CNBC" }, web = { "biz.sbs.co.kr" } },
  { name = "한국경제TV", kind = "broadcast", aliases = { "한경TV" }, web = { "wowtv.co.kr" } },
  { name = "서울경제TV", kind = "broadcast", aliases = {}, web = { "sentv.co.kr" } },
  { name = "EBS", kind = "broadcast", aliases = { "한국교육방송공사" }, web = { "ebs.co.kr" } },
  { name = "OBS", kind = "broadcast", aliases = { "OBS경인TV" }, web = { "obs.co.kr" } },
  { name = "CBS", kind = "broadcast", aliases = { "기독교방송" }, web = { "cbs.co.kr" } },

  -- IT and online outlets
  { name = "지디넷코리아", kind = "it", aliases = { "지디넷", "ZDNet Korea", "ZDNet" }, web = { "zdnet.co.kr" } },
  { name = "블로터", kind = "it", aliases = { "Bloter" }, web = { "bloter.net" } },
  { name = "아이뉴스24", kind = "it", aliases = { "inews24" }, web = { "inews24.com" } },
  { name = "디지털데일리", kind = "it", aliases = {}, web = { "ddaily.co.kr" } },
  { name = "테크M", kind = "it", aliases = {}, web = { "techm.kr" } },
  { name = "바이라인네트워크", kind = "it", aliases = {}, web = { "byline.network" } },
  { name = "IT조선", kind = "it", aliases = {}, web = { "it.chosun.com" } },
  { name = "노컷뉴스", kind = "online", aliases = { "CBS노컷뉴스" }, web = { "nocutnews.co.kr" } },
  { name = "오마이뉴스", kind = "online", aliases = {}, web = { "ohmynews.com" } },
  { name = "프레시안", kind = "online", aliases = {}, web = { "pressian.com" } },
  { name = "데일리안", kind = "online", aliases = {}, web = { "dailian.co.kr" } },
  { name = "뉴데일리", kind = "online", aliases = {}, web = { "newdaily.co.kr" } },
  { name = "더팩트", kind = "online", aliases = {}, web = { "tf.co.kr" } },
  { name = "미디어오늘", kind = "online", aliases = {}, web = { "mediatoday.co.kr" } },
  { name = "시사저널", kind = "online", aliases = {}, web = { "sisajournal.com" } },
  { name = "쿠키뉴스", kind = "online", aliases = {}, web = { "kukinews.com" } },
  { name = "데일리한국", kind = "online", aliases = {}, web = { "daily.hankooki.com" } },
  { name = "마이데일리", kind = "sports", aliases = {}, web = { "mydaily.co.kr" } },
  { name = "스포츠조선", kind = "sports", aliases = {}, web = { "sportschosun.com" } },
  { name = "스포츠서울", kind = "sports", aliases = {}, web = { "sportsseoul.com" } },
  { name = "일간스포츠", kind = "sports", aliases = {}, web = { "isplus.com" } },
  { name = "OSEN", kind = "sports", aliases = {}, web = { "osen.co.kr", "osen.mt.co.kr" } },

  -- regional dailies
  { name = "부산일보", kind = "regional", aliases = {}, web = { "busan.com" } },
  { name = "국제신문", kind = "regional", aliases = {}, web = { "kookje.co.kr" } },
  { name = "매일신문", kind = "regional", aliases = {}, web = { "imaeil.com" } },
  { name = "영남일보", kind = "regional", aliases = {}, web = { "yeongnam.com" } },
  { name = "경인일보", kind = "regional", aliases = {}, web = { "kyeongin.com" } },
  { name = "경기일보", kind = "regional", aliases = {}, web = { "kyeonggi.com" } },
  { name = "인천일보", kind = "regional", aliases = {}, web = { "incheonilbo.com" } },
  { name = "강원일보", kind = "regional", aliases = {}, web = { "kwnews.co.kr" } },
  { name = "광주일보", kind = "regional", aliases = {}, web = { "kwangju.co.kr" } },
  { name = "전남일보", kind = "regional", aliases = {}, web = { "jnilbo.com" } },
  { name = "무등일보", kind = "regional", aliases = {}, web = { "honam.co.kr" } },
  { name = "전북일보", kind = "regional", aliases = {}, web = { "jjan.kr" } },
  { name = "대전일보", kind = "regional", aliases = {}, web = { "daejonilbo.com" } },
  { name = "중도일보", kind = "regional", aliases = {}, web = { "joongdo.co.kr" } },
  { name = "충청투데이", kind = "regional", aliases = {}, web = { "cctoday.co.kr" } },
  { name = "경남신문", kind = "regional", aliases = {}, web = { "knnews.co.kr" } },
  { name = "한라일보", kind = "regional", aliases = {}, web = { "ihalla.com" } },

  -- English-language dailies
  { name = "코리아헤럴드", kind = "english", aliases = { "The Korea Herald", "Korea Herald" }, web = { "koreaherald.com" } },
  { name = "코리아타임스", kind = "english", aliases = { "The Korea Times", "Korea Times" }, web = { "koreatimes.co.kr" } },
} }
