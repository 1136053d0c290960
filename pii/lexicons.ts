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
  /** Cities, regions and countries, lowercased, multi-word ones joined by one space. */
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
  'kamau njeri amara imani siobhán niamh aoife saoirse oisín ciarán seán eoin ffion rhys siân dylan';
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
  'mensah owusu boateng asante mokoena dlamini ndlovu nkosi mwangi otieno kamau ochieng o\'connor o\'brien ' +
  'o\'sullivan mcdonald mccarthy murphy kelly byrne ryan walsh doyle gallagher kennedy quinn jones evans davies ' +
  'llewellyn hughes nakashima abara okoro';

let cached: Lexicons | undefined;

export function lexicons(): Lexicons {
  if (cached) return cached;
  const lexicon = (nlp as unknown as { model(): { one: { lexicon: Record<string, string | string[]> } } }).model().one.lexicon;
  const given = new Set<string>(MORE_GIVEN.split(' '));
  const surnames = new Set<string>(MORE_SURNAMES.split(' ').filter((w) => !w.includes(' ')));
  const honorifics = new Set<string>(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'sir', 'dame', 'madam', 'rev', 'fr', 'sr', 'sra', 'herr', 'frau', 'mme', 'mlle', 'señor', 'señora', 'doctor', 'judge', 'senator', 'officer', 'captain', 'capt', 'sgt', 'lt', 'col', 'gen']);
  const places = new Set<string>();
  const organizations = new Set<string>();
  const commonWords = new Set<string>();
  for (const [word, tag] of Object.entries(lexicon)) {
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
