/**
 * @module Word lists for the name recognizers: compromise's lexicon (≈3,100 given names, ≈900
 * surnames, honorifics, ≈1,300 places, ≈350 organisations) plus our own lists of given names and
 * surnames common outside the English-speaking world, which compromise's lexicon lacks. Built once
 * per process, on first use.
 */
import nlp from 'compromise';

export interface Lexicons {
  given: ReadonlySet<string>;
  surnames: ReadonlySet<string>;
  honorifics: ReadonlySet<string>;
  /** Cities, regions and countries, folded (see `fold`), multi-word ones joined by one space. */
  places: ReadonlySet<string>;
  organizations: ReadonlySet<string>;
  /** Words compromise knows as something other than a name (verbs, nouns, adjectives …). */
  commonWords: ReadonlySet<string>;
}

// Given names from Spanish, Portuguese, Italian, French, German, Dutch, Nordic, Slavic, Greek,
// Turkish, Arabic, Persian, Hebrew, South Asian, East Asian and African naming traditions.
const MORE_GIVEN =
  'alejandro alonso andrés álvaro beatriz carmen catalina consuelo diego dolores esteban federico fernando guadalupe ' +
  'ignacio inés javier jesús joaquín jorge josé juan lucía luis manuel mercedes miguel nuria pablo pilar ramón rocío ' +
  'santiago sergio valentina ximena joão tiago gonçalo inês leonor giulia giuseppe lorenzo matteo francesca chiara ' +
  'alessandro giovanni luca marco sofia amélie aurélie benoît céline élodie françois hélène jérôme léa mathilde ' +
  'rené sébastien thérèse yannick jürgen jörg günter helga klaus lukas matthias sabine stefan ulrike wolfgang ' +
  'jannik anneke bram daan femke joost lotte maarten sanne willem bjørn ingrid lars magnus nils sigrid søren astrid ' +
  'agnieszka bartosz dariusz katarzyna krzysztof małgorzata piotr tomasz wojciech zofia dmitri dmitry ekaterina igor ' +
  'natalia olga sergei svetlana tatiana vladimir yuri anastasia nikolai oksana bohdan taras andreas dimitris eleni ' +
  'giorgos nikos sotiris ayşe emre mehmet mustafa zeynep elif ahmed aisha fatima hassan hussein khalid leila mahmoud ' +
  'mohammed muhammad omar rania samir tariq yasmin youssef zainab ali reza dariush farah mina parisa shirin ' +
  'avi noa yael yosef tamar aarav aditi amit ananya arjun deepika divya gaurav ishaan kavya lakshmi meera neha nikhil ' +
  'pooja priya rahul rajesh ravi rohan sanjay shreya sunita vikram wei fang jing jun li ling min ming xiu yan yong ' +
  'zhang hiroshi haruto kenji aiko akira emi hana haruka kaito kazuki mei ren riku sakura sora takeshi yui yuki ' +
  'yuto minjun seoyeon jiwoo hyun jisoo eun-ji thanh linh minh nguyen quang chidi chinwe emeka ngozi obinna ' +
  'oluwaseun olumide adebayo ayodele chiamaka kwame kofi ama akosua abena thabo sipho nomvula zanele wanjiru ' +
  'kamau njeri amara imani siobhán niamh aoife saoirse oisín ciarán seán eoin ffion rhys siân dylan ' +
  'jean jean-luc jean-pierre marie-claire anne-marie hans-peter karl-heinz ' +
  'grzegorz łukasz paweł michał marcin jakub kamil mateusz agata ewa joanna magdalena marta monika ' +
  'jiří petr tomáš lucie tereza jana zsófia bence ádám gábor lászló réka andrei ioana mihai elena ' +
  'björn sven gustav henrik freja linnea mikko juha aino eero leena ' +
  'oleksandr dmytro andriy iryna kateryna volodymyr mykola ' +
  'ahmet burak can deniz ebru selin murat ' +
  'abdullah amir bilal farid hamza ibrahim karim layla mariam nour salma yara zayd ' +
  'aditya akash anil deepak harsh kiran manish nisha rekha sachin suresh vijay ' +
  'chen hao jie lei qiang tao xin yi yu zhi ' +
  'daiki hinata kenta mio nanami rin shota sota yuna ' +
  'joon-ho min-jun seo-yeon ji-woo ha-eun ' +
  'adaeze chukwuemeka ifeoma nnamdi tunde yetunde funmilayo babatunde kehinde taiwo ' +
  'lerato themba mandla ayanda bongani ' +
  'mateo santino thiago valentino camila renata isabela luciana ' +
  'anh bao duc hieu hoa huong lan long mai nam phuong trang tuan';
const MORE_SURNAMES =
  'fernández gonzález hernández lópez martínez pérez ramírez rodríguez sánchez torres gómez díaz moreno muñoz ' +
  'álvarez romero navarro domínguez vázquez castillo ortega rubio serrano molina delgado silva santos oliveira ' +
  'souza costa pereira ferreira almeida carvalho ribeiro rossi russo ferrari esposito bianchi romano colombo ricci ' +
  'marino greco bruno gallo conti de luca mancini dubois durand lefebvre lefèvre leroy moreau laurent girard ' +
  'bonnet rousseau fournier müller schmidt schneider fischer weber meyer wagner becker schulz hoffmann schäfer ' +
  'koch bauer richter klein wolf schröder neumann zimmermann krüger jansen de vries bakker visser smit meijer ' +
  'mulder bos vos hansen johansen nielsen andersen pedersen larsen eriksson lindqvist andersson karlsson nilsson ' +
  'kowalski nowak wiśniewski wójcik kowalczyk kamiński lewandowski zieliński ivanov petrov smirnov popov kuznetsov ' +
  'sokolov volkov novak horvat papadopoulos georgiou yilmaz kaya demir şahin çelik öztürk khan rahman hussain ' +
  'haddad nasser mansour saleh farouk hosseini rezaei mohammadi ahmadi cohen levi mizrahi friedman sharma patel ' +
  'singh kumar gupta iyer reddy nair menon rao natarajan krishnan chatterjee banerjee mukherjee das bose wang li ' +
  'zhang liu chen yang huang zhao wu zhou xu sun zhu hu guo lin he gao luo tanaka suzuki takahashi watanabe ito ' +
  'yamamoto nakamura kobayashi kato yoshida yamada sasaki matsumoto inoue kimura kim lee park choi jung kang cho ' +
  'yoon jang lim nguyen tran le pham hoang phan vu dang bui do ngo okafor okonkwo adeyemi adebayo balogun oyelaran ' +
  "mensah owusu boateng asante mokoena dlamini ndlovu nkosi mwangi otieno kamau ochieng o'connor o'brien " +
  "o'sullivan mcdonald mccarthy murphy kelly byrne ryan walsh doyle gallagher kennedy quinn jones evans davies " +
  'llewellyn hughes nakashima abara okoro';

/**
 * A word as the lexicons store it: lowercased, accents removed and letters that do not decompose
 * spelled out, so "Zürich", "Kraków", "Bjørn" and "Łukasz" find "zurich", "krakow", "bjorn", "lukasz".
 */
export function fold(word: string): string {
  // Most words are ASCII: lowercasing is all they need, and normalize() is costly.
  let ascii = true;
  for (let i = 0; i < word.length && ascii; i++) ascii = word.charCodeAt(i) < 128;
  if (ascii) return word.toLowerCase();
  return word
    .toLowerCase()
    .replace(/’/g, "'")
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[øœæßłđþ]/g, (c) => ({ ø: 'o', œ: 'oe', æ: 'ae', ß: 'ss', ł: 'l', đ: 'd', þ: 'th' })[c] as string);
}

// Places compromise's lexicon lacks (it knows ~1,300).
const MORE_PLACES =
  'catalonia|andalusia|galicia|basque country|mexico city|austin|dallas|houston|san antonio|san diego|san jose|' +
  'phoenix|denver|seattle|portland|boston|atlanta|miami|detroit|minneapolis|nashville|baltimore|milwaukee|' +
  'sacramento|pittsburgh|cincinnati|cleveland|kansas city|st. louis|salt lake city|tampa|orlando|charlotte|' +
  'raleigh|honolulu|anchorage|manchester|liverpool|leeds|glasgow|edinburgh|cardiff|belfast|cork|galway|' +
  'porto|lisbon|valencia|bilbao|marseille|lyon|toulouse|bordeaux|nice|strasbourg|hamburg|cologne|frankfurt|' +
  'stuttgart|dusseldorf|leipzig|dresden|rotterdam|utrecht|antwerp|ghent|geneva|basel|lausanne|turin|naples|' +
  'florence|venice|bologna|palermo|gdansk|wroclaw|poznan|brno|bratislava|ljubljana|zagreb|belgrade|sofia|' +
  'bucharest|cluj-napoca|tallinn|riga|vilnius|gothenburg|malmo|bergen|aarhus|tampere|izmir|ankara|tel aviv|' +
  'haifa|dubai|abu dhabi|doha|riyadh|jeddah|karachi|lahore|islamabad|dhaka|chennai|hyderabad|pune|kolkata|' +
  'ahmedabad|jaipur|colombo|kathmandu|chiang mai|ho chi minh city|da nang|cebu|surabaya|kuala lumpur|' +
  'shenzhen|guangzhou|chengdu|wuhan|hangzhou|nanjing|xian|sapporo|fukuoka|nagoya|yokohama|incheon|daegu|' +
  'kaohsiung|taichung|perth|adelaide|brisbane|auckland|wellington|christchurch|vancouver|calgary|edmonton|' +
  'ottawa|winnipeg|halifax|montreal|guadalajara|monterrey|bogota|medellin|quito|lima|cusco|la paz|santiago|' +
  'valparaiso|buenos aires|cordoba|montevideo|asuncion|rio de janeiro|brasilia|salvador|recife|porto alegre|' +
  'lagos|abuja|ibadan|accra|kumasi|dakar|abidjan|addis ababa|kampala|kigali|dar es salaam|zanzibar|mombasa|' +
  'johannesburg|cape town|durban|pretoria|casablanca|marrakesh|tunis|algiers|cairo|alexandria|luxor';

let cached: Lexicons | undefined;

export function lexicons(): Lexicons {
  if (cached) return cached;
  const lexicon = (nlp as unknown as { model(): { one: { lexicon: Record<string, string | string[]> } } }).model().one.lexicon;
  const given = new Set<string>(MORE_GIVEN.split(' ').map(fold));
  const surnames = new Set<string>(MORE_SURNAMES.split(' ').map(fold));
  const honorifics = new Set<string>([
    'mr',
    'mrs',
    'ms',
    'miss',
    'mx',
    'dr',
    'prof',
    'professor',
    'sir',
    'dame',
    'madam',
    'rev',
    'fr',
    'sr',
    'sra',
    'herr',
    'frau',
    'mme',
    'mlle',
    'señor',
    'señora',
    'doctor',
    'judge',
    'senator',
    'officer',
    'captain',
    'capt',
    'sgt',
    'lt',
    'col',
    'gen',
  ]);
  const places = new Set<string>(MORE_PLACES.split('|').map(fold));
  const organizations = new Set<string>();
  const commonWords = new Set<string>();
  for (const [entry, tag] of Object.entries(lexicon)) {
    const word = fold(entry);
    const tags = Array.isArray(tag) ? tag : [tag];
    for (const t of tags) {
      if (t === 'City' || t === 'Country' || t === 'Region' || t === 'Place') places.add(word);
      else if (t === 'Organization') organizations.add(word);
      else if (word.includes(' ')) continue;
      else if (t === 'MaleName' || t === 'FemaleName' || t === 'FirstName' || t === 'Person') given.add(word);
      else if (t === 'LastName') surnames.add(word);
      else if (t === 'Honorific') honorifics.add(word.replace(/\.$/, ''));
      else if (t !== 'ProperNoun') commonWords.add(word);
    }
  }
  cached = { given, surnames, honorifics, places, organizations, commonWords };
  return cached;
}
