-- gisa.stopwords: words that `freq`, `keywords` and `collocates` leave out by
-- default. Edit this list, or copy it and pass your copy with --stopwords FILE
-- (a .lua file returning a list, or a text file with one word a line).
-- Entries are compared after lowercasing, and with --nouns after the particle
-- is stripped, so list stems (것, 수), not 것을 / 수는.

return {
  -- dependent nouns and pronouns
  "것", "수", "등", "때", "중", "곳", "바", "데", "뿐", "만큼", "측", "점", "개", "명", "건",
  "이", "그", "저", "이것", "그것", "저것", "여기", "거기", "이번", "이날", "당시", "지난",
  "우리", "저희", "자신", "모두", "모든", "각", "및", "또", "또한", "또는", "더", "덜", "좀",
  "매우", "아주", "가장", "다시", "이미", "특히", "바로", "함께", "이후", "이전", "현재",
  "그리고", "그러나", "하지만", "그런데", "따라서", "그래서", "때문", "때문에", "위해", "통해",
  "대해", "대한", "관련", "따라", "따른", "의해", "인해", "있다", "있는", "있고", "있어",
  "있을", "있었다", "없다", "없는", "했다", "하는", "하고", "하며", "한다", "할", "한",
  "된다", "되는", "됐다", "된", "될", "것이다", "것으로", "밝혔다", "말했다", "설명했다",
  "전했다", "강조했다", "덧붙였다", "이라고", "라고", "라며", "이라며", "고", "며",
  -- English function words (texts mix in English names and quotes)
  "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "by", "at", "from",
  "is", "are", "was", "were", "be", "it", "this", "that", "as",
}
