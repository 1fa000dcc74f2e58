-- An ifex-tui archive at schema 3, made by importing archive-schema3.feed.json with the
-- code of commit c729d6e; see make_archive_schema3.py.
PRAGMA application_id = 1229342040;
BEGIN TRANSACTION;
CREATE TABLE "alert_facets" (
        kind TEXT NOT NULL,
        value TEXT NOT NULL COLLATE NOCASE,
        sort_date TEXT NOT NULL,
        alert INTEGER NOT NULL,
        year INTEGER NOT NULL,
        PRIMARY KEY (kind, value, sort_date, alert)
    ) WITHOUT ROWID;
INSERT INTO "alert_facets" VALUES('country','','2009-10-27',4,2009);
INSERT INTO "alert_facets" VALUES('country','','2009-10-27',7,2009);
INSERT INTO "alert_facets" VALUES('country','','2009-10-27',9,2009);
INSERT INTO "alert_facets" VALUES('country','','2009-10-27',10,2009);
INSERT INTO "alert_facets" VALUES('country','','2010-09-12',13,2010);
INSERT INTO "alert_facets" VALUES('country','','2010-09-12',14,2010);
INSERT INTO "alert_facets" VALUES('country','','2010-09-12',17,2010);
INSERT INTO "alert_facets" VALUES('country','','2010-09-12',18,2010);
INSERT INTO "alert_facets" VALUES('country','','2010-10-03',19,2010);
INSERT INTO "alert_facets" VALUES('country','','2010-10-03',20,2010);
INSERT INTO "alert_facets" VALUES('country','','2011-01-30',22,2011);
INSERT INTO "alert_facets" VALUES('country','','2011-02-20',23,2011);
INSERT INTO "alert_facets" VALUES('country','','2011-02-20',24,2011);
INSERT INTO "alert_facets" VALUES('country','','2011-02-20',25,2011);
INSERT INTO "alert_facets" VALUES('country','','2011-02-20',26,2011);
INSERT INTO "alert_facets" VALUES('country','','2011-04-17',28,2011);
INSERT INTO "alert_facets" VALUES('country','','2012-02-10',33,2012);
INSERT INTO "alert_facets" VALUES('country','','2012-05-27',34,2012);
INSERT INTO "alert_facets" VALUES('country','?Atlantis','2010-07-01',12,2010);
INSERT INTO "alert_facets" VALUES('country','?Atlantis','2012-01-09',32,2012);
INSERT INTO "alert_facets" VALUES('country','BD','2009-10-27',6,2009);
INSERT INTO "alert_facets" VALUES('country','BD','2009-10-27',8,2009);
INSERT INTO "alert_facets" VALUES('country','BR','2009-10-27',3,2009);
INSERT INTO "alert_facets" VALUES('country','BR','2011-11-06',31,2011);
INSERT INTO "alert_facets" VALUES('country','EC','2011-01-30',21,2011);
INSERT INTO "alert_facets" VALUES('country','IQ','2012-01-09',32,2012);
INSERT INTO "alert_facets" VALUES('country','MX','2011-03-02',27,2011);
INSERT INTO "alert_facets" VALUES('country','NG','2011-10-22',29,2011);
INSERT INTO "alert_facets" VALUES('country','PA','2011-11-06',30,2011);
INSERT INTO "alert_facets" VALUES('country','PK','',1,0);
INSERT INTO "alert_facets" VALUES('country','PK','',2,0);
INSERT INTO "alert_facets" VALUES('country','SO','2009-11-30',11,2009);
INSERT INTO "alert_facets" VALUES('country','UG','2010-09-12',15,2010);
INSERT INTO "alert_facets" VALUES('country','UG','2010-09-12',16,2010);
INSERT INTO "alert_facets" VALUES('country','US','2009-10-27',5,2009);
INSERT INTO "alert_facets" VALUES('region','Africa','2009-11-30',11,2009);
INSERT INTO "alert_facets" VALUES('region','Africa','2010-09-12',15,2010);
INSERT INTO "alert_facets" VALUES('region','Africa','2010-09-12',16,2010);
INSERT INTO "alert_facets" VALUES('region','Africa','2011-10-22',29,2011);
INSERT INTO "alert_facets" VALUES('region','Americas','2009-10-27',3,2009);
INSERT INTO "alert_facets" VALUES('region','Americas','2009-10-27',5,2009);
INSERT INTO "alert_facets" VALUES('region','Americas','2011-01-30',21,2011);
INSERT INTO "alert_facets" VALUES('region','Americas','2011-03-02',27,2011);
INSERT INTO "alert_facets" VALUES('region','Americas','2011-11-06',30,2011);
INSERT INTO "alert_facets" VALUES('region','Americas','2011-11-06',31,2011);
INSERT INTO "alert_facets" VALUES('region','Asia & Pacific','',1,0);
INSERT INTO "alert_facets" VALUES('region','Asia & Pacific','',2,0);
INSERT INTO "alert_facets" VALUES('region','Asia & Pacific','2009-10-27',6,2009);
INSERT INTO "alert_facets" VALUES('region','Asia & Pacific','2009-10-27',8,2009);
INSERT INTO "alert_facets" VALUES('region','Middle East & North Africa','2012-01-09',32,2012);
INSERT INTO "alert_facets" VALUES('source','ARTICLE 19','2009-10-27',3,2009);
INSERT INTO "alert_facets" VALUES('source','ARTICLE 19','2009-10-27',7,2009);
INSERT INTO "alert_facets" VALUES('source','Committee to Protect Journalists','',1,0);
INSERT INTO "alert_facets" VALUES('source','Committee to Protect Journalists','',2,0);
INSERT INTO "alert_facets" VALUES('source','Committee to Protect Journalists','2011-10-22',29,2011);
INSERT INTO "alert_facets" VALUES('source','Committee to Protect Journalists','2011-11-06',30,2011);
INSERT INTO "alert_facets" VALUES('source','Committee to Protect Journalists','2011-11-06',31,2011);
INSERT INTO "alert_facets" VALUES('source','Committee to Protect Journalists (CPJ)','2009-11-30',11,2009);
INSERT INTO "alert_facets" VALUES('source','CPJ','2009-10-27',4,2009);
INSERT INTO "alert_facets" VALUES('source','CPJ','2010-09-12',17,2010);
INSERT INTO "alert_facets" VALUES('source','CPJ','2010-10-03',20,2010);
INSERT INTO "alert_facets" VALUES('source','CPJ','2011-01-30',21,2011);
INSERT INTO "alert_facets" VALUES('source','CPJ','2011-01-30',22,2011);
INSERT INTO "alert_facets" VALUES('source','CPJ','2011-02-20',23,2011);
INSERT INTO "alert_facets" VALUES('source','CPJ','2011-02-20',25,2011);
INSERT INTO "alert_facets" VALUES('source','CPJ','2011-02-20',26,2011);
INSERT INTO "alert_facets" VALUES('source','Freedom House','2010-09-12',16,2010);
INSERT INTO "alert_facets" VALUES('source','HRNJ-Uganda','2010-09-12',15,2010);
INSERT INTO "alert_facets" VALUES('source','IFLA','2012-05-27',34,2012);
INSERT INTO "alert_facets" VALUES('source','IPI','2009-10-27',8,2009);
INSERT INTO "alert_facets" VALUES('source','IPI','2010-09-12',13,2010);
INSERT INTO "alert_facets" VALUES('source','PEN','2012-01-09',32,2012);
INSERT INTO "alert_facets" VALUES('source','PEN American Center','2009-10-27',5,2009);
INSERT INTO "alert_facets" VALUES('source','PEN American Center','2011-04-17',28,2011);
INSERT INTO "alert_facets" VALUES('source','Reporters sans frontières','2011-03-02',27,2011);
INSERT INTO "alert_facets" VALUES('source','RSF','2009-10-27',6,2009);
INSERT INTO "alert_facets" VALUES('source','RSF','2009-10-27',9,2009);
INSERT INTO "alert_facets" VALUES('source','RSF','2009-10-27',10,2009);
INSERT INTO "alert_facets" VALUES('source','rsf','2010-07-01',12,2010);
INSERT INTO "alert_facets" VALUES('source','RSF','2010-09-12',14,2010);
INSERT INTO "alert_facets" VALUES('source','RSF','2010-09-12',18,2010);
INSERT INTO "alert_facets" VALUES('source','The Zanzibar Press Club','2012-02-10',33,2012);
INSERT INTO "alert_facets" VALUES('source','WiPC','2010-10-03',19,2010);
INSERT INTO "alert_facets" VALUES('source','WiPC','2011-02-20',24,2011);
INSERT INTO "alert_facets" VALUES('target','Journalist','',1,0);
INSERT INTO "alert_facets" VALUES('target','Journalist','',2,0);
INSERT INTO "alert_facets" VALUES('target','Journalist','2009-10-27',4,2009);
INSERT INTO "alert_facets" VALUES('target','Journalist','2009-10-27',6,2009);
INSERT INTO "alert_facets" VALUES('target','Journalist','2009-10-27',8,2009);
INSERT INTO "alert_facets" VALUES('target','Journalist','2009-10-27',10,2009);
INSERT INTO "alert_facets" VALUES('target','Journalist','2010-09-12',14,2010);
INSERT INTO "alert_facets" VALUES('target','Journalist','2010-09-12',15,2010);
INSERT INTO "alert_facets" VALUES('target','Journalist','2010-09-12',17,2010);
INSERT INTO "alert_facets" VALUES('target','Journalist','2010-09-12',18,2010);
INSERT INTO "alert_facets" VALUES('target','Journalist','2010-10-03',20,2010);
INSERT INTO "alert_facets" VALUES('target','Journalist','2011-02-20',24,2011);
INSERT INTO "alert_facets" VALUES('target','Journalist','2011-02-20',25,2011);
INSERT INTO "alert_facets" VALUES('target','Journalist','2011-02-20',26,2011);
INSERT INTO "alert_facets" VALUES('target','Journalist','2011-10-22',29,2011);
INSERT INTO "alert_facets" VALUES('target','Journalist','2011-11-06',30,2011);
INSERT INTO "alert_facets" VALUES('target','Journalist','2011-11-06',31,2011);
INSERT INTO "alert_facets" VALUES('target','Media outlet','2010-09-12',13,2010);
INSERT INTO "alert_facets" VALUES('target','Media outlet','2011-01-30',21,2011);
INSERT INTO "alert_facets" VALUES('target','Other','2009-10-27',3,2009);
INSERT INTO "alert_facets" VALUES('target','Other','2009-10-27',5,2009);
INSERT INTO "alert_facets" VALUES('target','Other','2009-10-27',7,2009);
INSERT INTO "alert_facets" VALUES('target','Other','2009-10-27',9,2009);
INSERT INTO "alert_facets" VALUES('target','Other','2010-09-12',16,2010);
INSERT INTO "alert_facets" VALUES('target','Other','2011-01-30',22,2011);
INSERT INTO "alert_facets" VALUES('target','Other','2011-02-20',23,2011);
INSERT INTO "alert_facets" VALUES('target','Other','2012-05-27',34,2012);
INSERT INTO "alert_facets" VALUES('target','Writer','2010-10-03',19,2010);
INSERT INTO "alert_facets" VALUES('target','Writer','2011-04-17',28,2011);
INSERT INTO "alert_facets" VALUES('violation','Attacked','2009-10-27',6,2009);
INSERT INTO "alert_facets" VALUES('violation','Attacked','2009-10-27',8,2009);
INSERT INTO "alert_facets" VALUES('violation','Attacked','2010-09-12',15,2010);
INSERT INTO "alert_facets" VALUES('violation','Attacked','2012-02-10',33,2012);
INSERT INTO "alert_facets" VALUES('violation','Censored','2010-07-01',12,2010);
INSERT INTO "alert_facets" VALUES('violation','Censored','2011-01-30',21,2011);
INSERT INTO "alert_facets" VALUES('violation','Detained','2009-10-27',10,2009);
INSERT INTO "alert_facets" VALUES('violation','Detained','2010-09-12',14,2010);
INSERT INTO "alert_facets" VALUES('violation','Detained','2011-03-02',27,2011);
INSERT INTO "alert_facets" VALUES('violation','Killed','',1,0);
INSERT INTO "alert_facets" VALUES('violation','Killed','',2,0);
INSERT INTO "alert_facets" VALUES('violation','Killed','2010-09-12',17,2010);
INSERT INTO "alert_facets" VALUES('violation','Killed','2010-09-12',18,2010);
INSERT INTO "alert_facets" VALUES('violation','Killed','2011-10-22',29,2011);
INSERT INTO "alert_facets" VALUES('violation','Killed','2011-11-06',30,2011);
INSERT INTO "alert_facets" VALUES('violation','Killed','2011-11-06',31,2011);
INSERT INTO "alert_facets" VALUES('violation','Legal action','2011-02-20',24,2011);
INSERT INTO "alert_facets" VALUES('violation','Legal action','2012-01-09',32,2012);
INSERT INTO "alert_facets" VALUES('violation','Threatened','2011-01-30',22,2011);
CREATE TABLE "alerts" (
   "pk" INTEGER PRIMARY KEY,
   "id" TEXT NOT NULL,
   "url" TEXT,
   "external_url" TEXT,
   "title" TEXT,
   "summary" TEXT,
   "content_html" TEXT,
   "content_text" TEXT,
   "body_text" TEXT,
   "published" TEXT,
   "date" TEXT,
   "year" INTEGER,
   "sort_date" TEXT NOT NULL,
   "modified" TEXT,
   "modified_utc" TEXT,
   "language" TEXT,
   "tags" TEXT,
   "authors" TEXT,
   "countries" TEXT,
   "region" TEXT,
   "violations" TEXT,
   "targets" TEXT,
   "source" TEXT,
   "alert_type" TEXT,
   "extensions" TEXT,
   "hash" TEXT NOT NULL
);
INSERT INTO "alerts" VALUES(1,'cpj-killed:undated:javed-naseer-rind',NULL,NULL,'Journalist Javed Naseer Rind killed in Pakistan',NULL,NULL,'Javed Naseer Rind (columnist, editor, print reporter; Daily Tawar) was killed in Pakistan; the date cell is unreadable in the source copy. Type of death: Murder. Suspected source of fire: Unknown Fire. Medium: Print. CPJ list: Motive Confirmed. Source: Committee to Protect Journalists database of journalists and media workers killed since 1992.','Javed Naseer Rind (columnist, editor, print reporter; Daily Tawar) was killed in Pakistan; the date cell is unreadable in the source copy. Type of death: Murder. Suspected source of fire: Unknown Fire. Medium: Print. CPJ list: Motive Confirmed. Source: Committee to Protect Journalists database of journalists and media workers killed since 1992.',NULL,NULL,NULL,'',NULL,NULL,'en','["Killed", "Journalist", "Murder", "Print", "Columnist", "Editor", "Print Reporter", "Motive Confirmed"]','[{"name": "Committee to Protect Journalists", "url": "https://cpj.org/"}]','[{"code": "PK", "name": "Pakistan", "written": "Pakistan"}]','Asia & Pacific','["Killed"]','["Journalist"]','Committee to Protect Journalists','Alert','{}','91464f03594c822c2fead24a88b83836');
INSERT INTO "alerts" VALUES(2,'cpj-killed:undated:saleem-shahzad',NULL,NULL,'Journalist Saleem Shahzad killed in Pakistan',NULL,NULL,'Saleem Shahzad (columnist, internet reporter; Asia Times Online) was killed in Pakistan; CPJ gives the date as "May 29 or 30, 2011". Type of death: Murder. Suspected source of fire: Military Officials. Medium: Internet. CPJ list: Motive Confirmed. Source: Committee to Protect Journalists database of journalists and media workers killed since 1992.','Saleem Shahzad (columnist, internet reporter; Asia Times Online) was killed in Pakistan; CPJ gives the date as "May 29 or 30, 2011". Type of death: Murder. Suspected source of fire: Military Officials. Medium: Internet. CPJ list: Motive Confirmed. Source: Committee to Protect Journalists database of journalists and media workers killed since 1992.',NULL,NULL,NULL,'',NULL,NULL,'en','["Killed", "Journalist", "Murder", "Internet", "Columnist", "Internet Reporter", "Motive Confirmed"]','[{"name": "Committee to Protect Journalists", "url": "https://cpj.org/"}]','[{"code": "PK", "name": "Pakistan", "written": "Pakistan"}]','Asia & Pacific','["Killed"]','["Journalist"]','Committee to Protect Journalists','Alert','{}','982bff79e527488c556a43878dc59541');
INSERT INTO "alerts" VALUES(3,'ifex-digest:2009-10-23:10',NULL,'https://ifex.org/2009/10/28/digest/','Free expression report in Brazil (ARTICLE 19)',NULL,NULL,'Reported by ARTICLE 19 in the IFEX digest of 23–27 October 2009. Category: Other; target: Other. Country: Brazil.','Reported by ARTICLE 19 in the IFEX digest of 23–27 October 2009. Category: Other; target: Other. Country: Brazil.','2009-10-27T00:00:00Z','2009-10-27',2009,'2009-10-27',NULL,NULL,'en','["Other", "Other", "ARTICLE 19"]','[]','[{"code": "BR", "name": "Brazil", "written": "Brazil"}]','Americas','[]','["Other"]','ARTICLE 19','Alert','{}','6f4ad86c9e5373f8f0045e1eac329220');
INSERT INTO "alerts" VALUES(4,'ifex-digest:2009-10-23:15',NULL,'https://ifex.org/2009/10/28/digest/','Follow-up: Report concerning a journalist (CPJ)',NULL,NULL,'Reported by CPJ in the IFEX digest of 23–27 October 2009. Category: Other; target: Journalist. The stored digest does not state the country for this item. A follow-up to the item listed before it in the digest.','Reported by CPJ in the IFEX digest of 23–27 October 2009. Category: Other; target: Journalist. The stored digest does not state the country for this item. A follow-up to the item listed before it in the digest.','2009-10-27T00:00:00Z','2009-10-27',2009,'2009-10-27',NULL,NULL,'en','["Other", "Journalist", "CPJ"]','[]','[]',NULL,'[]','["Journalist"]','CPJ','Update','{}','e47a16ede85ed9ae42c679e6fab45e8a');
INSERT INTO "alerts" VALUES(5,'ifex-digest:2009-10-23:17',NULL,'https://ifex.org/2009/10/28/digest/','Free expression report in United States (PEN American Center)',NULL,NULL,'Reported by PEN American Center in the IFEX digest of 23–27 October 2009. Category: Other; target: Other. Country: United States.','Reported by PEN American Center in the IFEX digest of 23–27 October 2009. Category: Other; target: Other. Country: United States.','2009-10-27T00:00:00Z','2009-10-27',2009,'2009-10-27',NULL,NULL,'en','["Other", "Other", "PEN American Center"]','[]','[{"code": "US", "name": "United States", "written": "United States"}]','Americas','[]','["Other"]','PEN American Center','Alert','{}','d9069ebf448255ad0abc3bbf4f161bcb');
INSERT INTO "alerts" VALUES(6,'ifex-digest:2009-10-23:18',NULL,'https://ifex.org/2009/10/28/digest/','Journalist attacked in Bangladesh (RSF)',NULL,NULL,'Reported by RSF in the IFEX digest of 23–27 October 2009. Category: Attacked; target: Journalist. Country: Bangladesh.','Reported by RSF in the IFEX digest of 23–27 October 2009. Category: Attacked; target: Journalist. Country: Bangladesh.','2009-10-27T00:00:00Z','2009-10-27',2009,'2009-10-27',NULL,NULL,'en','["Attacked", "Journalist", "RSF"]','[]','[{"code": "BD", "name": "Bangladesh", "written": "Bangladesh"}]','Asia & Pacific','["Attacked"]','["Journalist"]','RSF','Alert','{}','bdf13110a9db61bb3d6a1ef75f90b33e');
INSERT INTO "alerts" VALUES(7,'ifex-digest:2009-10-23:2',NULL,'https://ifex.org/2009/10/28/digest/','Free expression report (ARTICLE 19)',NULL,NULL,'Reported by ARTICLE 19 in the IFEX digest of 23–27 October 2009. Category: Other; target: Other. The stored digest does not state the country for this item.','Reported by ARTICLE 19 in the IFEX digest of 23–27 October 2009. Category: Other; target: Other. The stored digest does not state the country for this item.','2009-10-27T00:00:00Z','2009-10-27',2009,'2009-10-27',NULL,NULL,'en','["Other", "Other", "ARTICLE 19"]','[]','[]',NULL,'[]','["Other"]','ARTICLE 19','Alert','{}','0795647dc1d9bce6d49b8c271715cf77');
INSERT INTO "alerts" VALUES(8,'ifex-digest:2009-10-23:21',NULL,'https://ifex.org/2009/10/28/digest/','Follow-up: Journalist attacked in Bangladesh (IPI)',NULL,NULL,'Reported by IPI in the IFEX digest of 23–27 October 2009. Category: Attacked; target: Journalist. Country: Bangladesh. A follow-up to the item listed before it in the digest.','Reported by IPI in the IFEX digest of 23–27 October 2009. Category: Attacked; target: Journalist. Country: Bangladesh. A follow-up to the item listed before it in the digest.','2009-10-27T00:00:00Z','2009-10-27',2009,'2009-10-27',NULL,NULL,'en','["Attacked", "Journalist", "IPI"]','[]','[{"code": "BD", "name": "Bangladesh", "written": "Bangladesh"}]','Asia & Pacific','["Attacked"]','["Journalist"]','IPI','Update','{}','e1a8a853b99bb13e915a97a9bb44f81f');
INSERT INTO "alerts" VALUES(9,'ifex-digest:2009-10-23:24',NULL,'https://ifex.org/2009/10/28/digest/','Free expression report (RSF)',NULL,NULL,'Reported by RSF in the IFEX digest of 23–27 October 2009. Category: Other; target: Other. The stored digest does not state the country for this item.','Reported by RSF in the IFEX digest of 23–27 October 2009. Category: Other; target: Other. The stored digest does not state the country for this item.','2009-10-27T00:00:00Z','2009-10-27',2009,'2009-10-27',NULL,NULL,'en','["Other", "Other", "RSF"]','[]','[]',NULL,'[]','["Other"]','RSF','Alert','{}','5a8babf1fc0b2c3f2474538a475babbb');
INSERT INTO "alerts" VALUES(10,'ifex-digest:2009-10-23:6',NULL,'https://ifex.org/2009/10/28/digest/','Follow-up: Journalist detained (RSF)',NULL,NULL,'Reported by RSF in the IFEX digest of 23–27 October 2009. Category: Detained; target: Journalist. The stored digest does not state the country for this item. A follow-up to the item listed before it in the digest.','Reported by RSF in the IFEX digest of 23–27 October 2009. Category: Detained; target: Journalist. The stored digest does not state the country for this item. A follow-up to the item listed before it in the digest.','2009-10-27T00:00:00Z','2009-10-27',2009,'2009-10-27',NULL,NULL,'en','["Detained", "Journalist", "RSF"]','[]','[]',NULL,'["Detained"]','["Journalist"]','RSF','Update','{}','481a08cf75c50d159f4612526e83f13b');
INSERT INTO "alerts" VALUES(11,'synthetic:cpj-long',NULL,NULL,'Reporter missing',NULL,NULL,NULL,'','2009-11-30T00:00:00Z','2009-11-30',2009,'2009-11-30',NULL,NULL,NULL,'[]','[]','[{"code": "SO", "name": "Somalia", "written": "Somalia"}]','Africa','[]','[]','Committee to Protect Journalists (CPJ)',NULL,'{}','6b83b23a76695fca2fc544610b052cf2');
INSERT INTO "alerts" VALUES(12,'synthetic:rsf-lower',NULL,NULL,'Radio closed',NULL,NULL,NULL,'','2010-07-01T00:00:00Z','2010-07-01',2010,'2010-07-01',NULL,NULL,NULL,'[]','[]','[{"code": null, "name": "Atlantis", "written": "Atlantis"}]',NULL,'["Censored"]','[]','rsf',NULL,'{}','fd7f81a6587ef0115ae2797f93d69268');
INSERT INTO "alerts" VALUES(13,'ifex-digest:2010-09-06:1',NULL,'https://ifex.org/2010/09/13/digest/','Report concerning a media outlet (IPI)',NULL,NULL,'Reported by IPI in the IFEX digest of 6–12 September 2010. Category: Other; target: Media outlet. The stored digest does not state the country for this item.','Reported by IPI in the IFEX digest of 6–12 September 2010. Category: Other; target: Media outlet. The stored digest does not state the country for this item.','2010-09-12T00:00:00Z','2010-09-12',2010,'2010-09-12',NULL,NULL,'en','["Other", "Media outlet", "IPI"]','[]','[]',NULL,'[]','["Media outlet"]','IPI','Alert','{}','064bb52bc1d6afcee4dea820487dc850');
INSERT INTO "alerts" VALUES(14,'ifex-digest:2010-09-06:11',NULL,'https://ifex.org/2010/09/13/digest/','Journalist detained (RSF)',NULL,NULL,'Reported by RSF in the IFEX digest of 6–12 September 2010. Category: Detained; target: Journalist. The stored digest does not state the country for this item.','Reported by RSF in the IFEX digest of 6–12 September 2010. Category: Detained; target: Journalist. The stored digest does not state the country for this item.','2010-09-12T00:00:00Z','2010-09-12',2010,'2010-09-12',NULL,NULL,'en','["Detained", "Journalist", "RSF"]','[]','[]',NULL,'["Detained"]','["Journalist"]','RSF','Alert','{}','3a3554ef90d73a2a1c839dff37286b27');
INSERT INTO "alerts" VALUES(15,'ifex-digest:2010-09-06:23',NULL,'https://ifex.org/2010/09/13/digest/','Journalist attacked in Uganda (HRNJ-Uganda)',NULL,NULL,'Reported by HRNJ-Uganda in the IFEX digest of 6–12 September 2010. Category: Attacked; target: Journalist. Country: Uganda.','Reported by HRNJ-Uganda in the IFEX digest of 6–12 September 2010. Category: Attacked; target: Journalist. Country: Uganda.','2010-09-12T00:00:00Z','2010-09-12',2010,'2010-09-12',NULL,NULL,'en','["Attacked", "Journalist", "HRNJ-Uganda"]','[]','[{"code": "UG", "name": "Uganda", "written": "Uganda"}]','Africa','["Attacked"]','["Journalist"]','HRNJ-Uganda','Alert','{}','bdc32f27b7cb3359bc6925572f7e522e');
INSERT INTO "alerts" VALUES(16,'ifex-digest:2010-09-06:25',NULL,'https://ifex.org/2010/09/13/digest/','Free expression report in Uganda (Freedom House)',NULL,NULL,'Reported by Freedom House in the IFEX digest of 6–12 September 2010. Category: Other; target: Other. Country: Uganda.','Reported by Freedom House in the IFEX digest of 6–12 September 2010. Category: Other; target: Other. Country: Uganda.','2010-09-12T00:00:00Z','2010-09-12',2010,'2010-09-12',NULL,NULL,'en','["Other", "Other", "Freedom House"]','[]','[{"code": "UG", "name": "Uganda", "written": "Uganda"}]','Africa','[]','["Other"]','Freedom House','Alert','{}','14211a5fc5d3cb326c3bd093c96dd0fc');
INSERT INTO "alerts" VALUES(17,'ifex-digest:2010-09-06:6',NULL,'https://ifex.org/2010/09/13/digest/','Journalist killed (CPJ)',NULL,NULL,'Reported by CPJ in the IFEX digest of 6–12 September 2010. Category: Killed; target: Journalist. The stored digest does not state the country for this item.','Reported by CPJ in the IFEX digest of 6–12 September 2010. Category: Killed; target: Journalist. The stored digest does not state the country for this item.','2010-09-12T00:00:00Z','2010-09-12',2010,'2010-09-12',NULL,NULL,'en','["Killed", "Journalist", "CPJ"]','[]','[]',NULL,'["Killed"]','["Journalist"]','CPJ','Alert','{}','c45da86dc4cc7e08d2e5615030e9fae2');
INSERT INTO "alerts" VALUES(18,'ifex-digest:2010-09-06:8',NULL,'https://ifex.org/2010/09/13/digest/','Follow-up: Journalist killed (RSF)',NULL,NULL,'Reported by RSF in the IFEX digest of 6–12 September 2010. Category: Killed; target: Journalist. The stored digest does not state the country for this item. A follow-up to the item listed before it in the digest.','Reported by RSF in the IFEX digest of 6–12 September 2010. Category: Killed; target: Journalist. The stored digest does not state the country for this item. A follow-up to the item listed before it in the digest.','2010-09-12T00:00:00Z','2010-09-12',2010,'2010-09-12',NULL,NULL,'en','["Killed", "Journalist", "RSF"]','[]','[]',NULL,'["Killed"]','["Journalist"]','RSF','Update','{}','e35c37c82290dbb53f2733616421df7b');
INSERT INTO "alerts" VALUES(19,'ifex-digest:2010-09-27:21',NULL,'https://ifex.org/2010/10/04/digest/','Report concerning a writer (WiPC)',NULL,NULL,'Reported by WiPC in the IFEX digest of 27 September – 3 October 2010. Category: Other; target: Writer. The stored digest does not state the country for this item.','Reported by WiPC in the IFEX digest of 27 September – 3 October 2010. Category: Other; target: Writer. The stored digest does not state the country for this item.','2010-10-03T00:00:00Z','2010-10-03',2010,'2010-10-03',NULL,NULL,'en','["Other", "Writer", "WiPC"]','[]','[]',NULL,'[]','["Writer"]','WiPC','Alert','{}','90a179278a3ad8a2d1753dc4881c2902');
INSERT INTO "alerts" VALUES(20,'ifex-digest:2010-09-27:22',NULL,'https://ifex.org/2010/10/04/digest/','Follow-up: Report concerning a journalist (CPJ)',NULL,NULL,'Reported by CPJ in the IFEX digest of 27 September – 3 October 2010. Category: Other; target: Journalist. The stored digest does not state the country for this item. A follow-up to the item listed before it in the digest.','Reported by CPJ in the IFEX digest of 27 September – 3 October 2010. Category: Other; target: Journalist. The stored digest does not state the country for this item. A follow-up to the item listed before it in the digest.','2010-10-03T00:00:00Z','2010-10-03',2010,'2010-10-03',NULL,NULL,'en','["Other", "Journalist", "CPJ"]','[]','[]',NULL,'[]','["Journalist"]','CPJ','Update','{}','53689e910f05ebd3586d676def8b972a');
INSERT INTO "alerts" VALUES(21,'ifex-digest:2011-01-24:26',NULL,'https://ifex.org/2011/01/31/digest/','Follow-up: Media outlet censored in Ecuador (CPJ)',NULL,NULL,'Reported by CPJ in the IFEX digest of 24–30 January 2011. Category: Censored; target: Media outlet. Country: Ecuador. A follow-up to the item listed before it in the digest.','Reported by CPJ in the IFEX digest of 24–30 January 2011. Category: Censored; target: Media outlet. Country: Ecuador. A follow-up to the item listed before it in the digest.','2011-01-30T00:00:00Z','2011-01-30',2011,'2011-01-30',NULL,NULL,'en','["Censored", "Media outlet", "CPJ"]','[]','[{"code": "EC", "name": "Ecuador", "written": "Ecuador"}]','Americas','["Censored"]','["Media outlet"]','CPJ','Update','{}','5172fc942549e1ec6175151427eab363');
INSERT INTO "alerts" VALUES(22,'ifex-digest:2011-01-24:8',NULL,'https://ifex.org/2011/01/31/digest/','Threats reported (CPJ)',NULL,NULL,'Reported by CPJ in the IFEX digest of 24–30 January 2011. Category: Threatened; target: Other. The stored digest does not state the country for this item.','Reported by CPJ in the IFEX digest of 24–30 January 2011. Category: Threatened; target: Other. The stored digest does not state the country for this item.','2011-01-30T00:00:00Z','2011-01-30',2011,'2011-01-30',NULL,NULL,'en','["Threatened", "Other", "CPJ"]','[]','[]',NULL,'["Threatened"]','["Other"]','CPJ','Alert','{}','9552f7b311f397eac0c323718b6603bf');
INSERT INTO "alerts" VALUES(23,'ifex-digest:2011-02-14:1',NULL,'https://ifex.org/2011/02/22/digest/','Free expression report (CPJ)',NULL,NULL,'Reported by CPJ in the IFEX digest of 14–20 February 2011. Category: Other; target: Other. The stored digest does not state the country for this item.','Reported by CPJ in the IFEX digest of 14–20 February 2011. Category: Other; target: Other. The stored digest does not state the country for this item.','2011-02-20T00:00:00Z','2011-02-20',2011,'2011-02-20',NULL,NULL,'en','["Other", "Other", "CPJ"]','[]','[]',NULL,'[]','["Other"]','CPJ','Alert','{}','ed15d47f36d285ae11b9ccaacb6762c7');
INSERT INTO "alerts" VALUES(24,'ifex-digest:2011-02-14:11',NULL,'https://ifex.org/2011/02/22/digest/','Legal action against a journalist (WiPC)',NULL,NULL,'Reported by WiPC in the IFEX digest of 14–20 February 2011. Category: Legal action; target: Journalist. The stored digest does not state the country for this item.','Reported by WiPC in the IFEX digest of 14–20 February 2011. Category: Legal action; target: Journalist. The stored digest does not state the country for this item.','2011-02-20T00:00:00Z','2011-02-20',2011,'2011-02-20',NULL,NULL,'en','["Legal action", "Journalist", "WiPC"]','[]','[]',NULL,'["Legal action"]','["Journalist"]','WiPC','Alert','{}','01157c9ca9e682785d670a6925a1e589');
INSERT INTO "alerts" VALUES(25,'ifex-digest:2011-02-14:21',NULL,'https://ifex.org/2011/02/22/digest/','Report concerning a journalist (CPJ)',NULL,NULL,'Reported by CPJ in the IFEX digest of 14–20 February 2011. Category: Other; target: Journalist. The stored digest does not state the country for this item.','Reported by CPJ in the IFEX digest of 14–20 February 2011. Category: Other; target: Journalist. The stored digest does not state the country for this item.','2011-02-20T00:00:00Z','2011-02-20',2011,'2011-02-20',NULL,NULL,'en','["Other", "Journalist", "CPJ"]','[]','[]',NULL,'[]','["Journalist"]','CPJ','Alert','{}','53bec00811c8647a06a6b721e0055935');
INSERT INTO "alerts" VALUES(26,'ifex-digest:2011-02-14:22',NULL,'https://ifex.org/2011/02/22/digest/','Follow-up: Report concerning a journalist (CPJ)',NULL,NULL,'Reported by CPJ in the IFEX digest of 14–20 February 2011. Category: Other; target: Journalist. The stored digest does not state the country for this item. A follow-up to the item listed before it in the digest.','Reported by CPJ in the IFEX digest of 14–20 February 2011. Category: Other; target: Journalist. The stored digest does not state the country for this item. A follow-up to the item listed before it in the digest.','2011-02-20T00:00:00Z','2011-02-20',2011,'2011-02-20',NULL,NULL,'en','["Other", "Journalist", "CPJ"]','[]','[]',NULL,'[]','["Journalist"]','CPJ','Update','{}','3a790501d951bf5c1cbef62d790dd66f');
INSERT INTO "alerts" VALUES(27,'synthetic:rsf-fr',NULL,NULL,'Journaliste détenu',NULL,NULL,NULL,'','2011-03-02T00:00:00Z','2011-03-02',2011,'2011-03-02',NULL,NULL,NULL,'[]','[]','[{"code": "MX", "name": "Mexico", "written": "Mexico"}]','Americas','["Detained"]','[]','Reporters sans frontières',NULL,'{}','114d8ce5b03e6ac57012569e297f5a87');
INSERT INTO "alerts" VALUES(28,'ifex-digest:2011-04-11:1',NULL,'https://ifex.org/2011/04/18/digest/','Report concerning a writer (PEN American Center)',NULL,NULL,'Reported by PEN American Center in the IFEX digest of 11–17 April 2011. Category: Other; target: Writer. The stored digest does not state the country for this item.','Reported by PEN American Center in the IFEX digest of 11–17 April 2011. Category: Other; target: Writer. The stored digest does not state the country for this item.','2011-04-17T00:00:00Z','2011-04-17',2011,'2011-04-17',NULL,NULL,'en','["Other", "Writer", "PEN American Center"]','[]','[]',NULL,'[]','["Writer"]','PEN American Center','Alert','{}','ce5d5f6f5aeb4ce2e7a733ce9ebe2393');
INSERT INTO "alerts" VALUES(29,'cpj-killed:2011-10-22:zakariya-isa',NULL,NULL,'Journalist Zakariya Isa killed in Nigeria',NULL,NULL,'Zakariya Isa (camera operator; Nigeria Television Authority) was killed in Nigeria on 22 October 2011. Type of death: Murder. Suspected source of fire: Political Group. Medium: Television. CPJ list: Motive Confirmed. Source: Committee to Protect Journalists database of journalists and media workers killed since 1992.','Zakariya Isa (camera operator; Nigeria Television Authority) was killed in Nigeria on 22 October 2011. Type of death: Murder. Suspected source of fire: Political Group. Medium: Television. CPJ list: Motive Confirmed. Source: Committee to Protect Journalists database of journalists and media workers killed since 1992.','2011-10-22T00:00:00Z','2011-10-22',2011,'2011-10-22',NULL,NULL,'en','["Killed", "Journalist", "Murder", "Television", "Camera Operator", "Motive Confirmed"]','[{"name": "Committee to Protect Journalists", "url": "https://cpj.org/"}]','[{"code": "NG", "name": "Nigeria", "written": "Nigeria"}]','Africa','["Killed"]','["Journalist"]','Committee to Protect Journalists','Alert','{}','bf2554cfc68492287d97f7b711c2122c');
INSERT INTO "alerts" VALUES(30,'cpj-killed:2011-11-06:dario-fernandez-jaen',NULL,NULL,'Journalist Darío Fernández Jaén killed in Panama',NULL,NULL,'Darío Fernández Jaén (publisher; Radio Mi Favorita) was killed in Panama on 6 November 2011. Type of death: Murder. Suspected source of fire: Government Officials. Medium: Radio. CPJ list: Motive Confirmed. Source: Committee to Protect Journalists database of journalists and media workers killed since 1992.','Darío Fernández Jaén (publisher; Radio Mi Favorita) was killed in Panama on 6 November 2011. Type of death: Murder. Suspected source of fire: Government Officials. Medium: Radio. CPJ list: Motive Confirmed. Source: Committee to Protect Journalists database of journalists and media workers killed since 1992.','2011-11-06T00:00:00Z','2011-11-06',2011,'2011-11-06',NULL,NULL,'en','["Killed", "Journalist", "Murder", "Radio", "Publisher", "Motive Confirmed"]','[{"name": "Committee to Protect Journalists", "url": "https://cpj.org/"}]','[{"code": "PA", "name": "Panama", "written": "Panama"}]','Americas','["Killed"]','["Journalist"]','Committee to Protect Journalists','Alert','{}','9aaca215dfc8e8c1dbd323c38ac492c1');
INSERT INTO "alerts" VALUES(31,'cpj-killed:2011-11-06:gelson-domingos-da-silva',NULL,NULL,'Journalist Gelson Domingos da Silva killed in Brazil',NULL,NULL,'Gelson Domingos da Silva (camera operator; Bandeirantes TV) was killed in Brazil on 6 November 2011. Type of death: Dangerous Assignment. Suspected source of fire: Unknown Fire. Medium: Television. CPJ list: Motive Confirmed. Source: Committee to Protect Journalists database of journalists and media workers killed since 1992.','Gelson Domingos da Silva (camera operator; Bandeirantes TV) was killed in Brazil on 6 November 2011. Type of death: Dangerous Assignment. Suspected source of fire: Unknown Fire. Medium: Television. CPJ list: Motive Confirmed. Source: Committee to Protect Journalists database of journalists and media workers killed since 1992.','2011-11-06T00:00:00Z','2011-11-06',2011,'2011-11-06',NULL,NULL,'en','["Killed", "Journalist", "Dangerous Assignment", "Television", "Camera Operator", "Motive Confirmed"]','[{"name": "Committee to Protect Journalists", "url": "https://cpj.org/"}]','[{"code": "BR", "name": "Brazil", "written": "Brazil"}]','Americas','["Killed"]','["Journalist"]','Committee to Protect Journalists','Alert','{}','3878c5171744871865428832522c5b04');
INSERT INTO "alerts" VALUES(32,'synthetic:pen',NULL,NULL,'Writer sued',NULL,NULL,NULL,'','2012-01-09T00:00:00Z','2012-01-09',2012,'2012-01-09',NULL,NULL,NULL,'[]','[]','[{"code": "IQ", "name": "Iraq", "written": "Iraq"}, {"code": null, "name": "Atlantis", "written": "Atlantis"}]','Middle East & North Africa','["Legal action"]','[]','PEN',NULL,'{}','856ffc00c207a7adf5537a73868319da');
INSERT INTO "alerts" VALUES(33,'synthetic:club',NULL,NULL,'Press club raided',NULL,NULL,NULL,'','2012-02-10T00:00:00Z','2012-02-10',2012,'2012-02-10',NULL,NULL,NULL,'["Atlantis", "Raid"]','[]','[]',NULL,'["Attacked"]','[]','The Zanzibar Press Club',NULL,'{}','3beb5184e443eb49f7ecc511704bd02d');
INSERT INTO "alerts" VALUES(34,'ifex-digest:2012-05-21:1',NULL,'https://ifex.org/2012/05/28/digest/','Free expression report (IFLA)',NULL,NULL,'Reported by IFLA in the IFEX digest of 21–27 May 2012. Category: Other; target: Other. The stored digest does not state the country for this item.','Reported by IFLA in the IFEX digest of 21–27 May 2012. Category: Other; target: Other. The stored digest does not state the country for this item.','2012-05-27T00:00:00Z','2012-05-27',2012,'2012-05-27',NULL,NULL,'en','["Other", "Other", "IFLA"]','[]','[]',NULL,'[]','["Other"]','IFLA','Alert','{}','a3129b07173bdfe1f9a33c50b0b3e6de');
CREATE TABLE facet_bitmaps (
    kind TEXT NOT NULL,
    value TEXT NOT NULL COLLATE NOCASE,
    bits BLOB NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
INSERT INTO "facet_bitmaps" VALUES('all','',X'FEFFFFFF07');
INSERT INTO "facet_bitmaps" VALUES('country','',X'9066DE1706');
INSERT INTO "facet_bitmaps" VALUES('country','?Atlantis',X'0010000001');
INSERT INTO "facet_bitmaps" VALUES('country','BD',X'4001');
INSERT INTO "facet_bitmaps" VALUES('country','BR',X'08000080');
INSERT INTO "facet_bitmaps" VALUES('country','EC',X'000020');
INSERT INTO "facet_bitmaps" VALUES('country','IQ',X'0000000001');
INSERT INTO "facet_bitmaps" VALUES('country','MX',X'00000008');
INSERT INTO "facet_bitmaps" VALUES('country','NG',X'00000020');
INSERT INTO "facet_bitmaps" VALUES('country','PA',X'00000040');
INSERT INTO "facet_bitmaps" VALUES('country','PK',X'06');
INSERT INTO "facet_bitmaps" VALUES('country','SO',X'0008');
INSERT INTO "facet_bitmaps" VALUES('country','UG',X'008001');
INSERT INTO "facet_bitmaps" VALUES('country','US',X'20');
INSERT INTO "facet_bitmaps" VALUES('region','Africa',X'00880120');
INSERT INTO "facet_bitmaps" VALUES('region','Americas',X'280020C8');
INSERT INTO "facet_bitmaps" VALUES('region','Asia & Pacific',X'4601');
INSERT INTO "facet_bitmaps" VALUES('region','Middle East & North Africa',X'0000000001');
INSERT INTO "facet_bitmaps" VALUES('source','ARTICLE 19',X'88');
INSERT INTO "facet_bitmaps" VALUES('source','Committee to Protect Journalists',X'060000E0');
INSERT INTO "facet_bitmaps" VALUES('source','Committee to Protect Journalists (CPJ)',X'0008');
INSERT INTO "facet_bitmaps" VALUES('source','CPJ',X'1000F206');
INSERT INTO "facet_bitmaps" VALUES('source','Freedom House',X'000001');
INSERT INTO "facet_bitmaps" VALUES('source','HRNJ-Uganda',X'0080');
INSERT INTO "facet_bitmaps" VALUES('source','IFLA',X'0000000004');
INSERT INTO "facet_bitmaps" VALUES('source','IPI',X'0021');
INSERT INTO "facet_bitmaps" VALUES('source','PEN',X'0000000001');
INSERT INTO "facet_bitmaps" VALUES('source','PEN American Center',X'20000010');
INSERT INTO "facet_bitmaps" VALUES('source','Reporters sans frontières',X'00000008');
INSERT INTO "facet_bitmaps" VALUES('source','RSF',X'405604');
INSERT INTO "facet_bitmaps" VALUES('source','The Zanzibar Press Club',X'0000000002');
INSERT INTO "facet_bitmaps" VALUES('source','WiPC',X'00000801');
INSERT INTO "facet_bitmaps" VALUES('target','Journalist',X'56C516E7');
INSERT INTO "facet_bitmaps" VALUES('target','Media outlet',X'002020');
INSERT INTO "facet_bitmaps" VALUES('target','Other',X'A802C10004');
INSERT INTO "facet_bitmaps" VALUES('target','Writer',X'00000810');
INSERT INTO "facet_bitmaps" VALUES('violation','Attacked',X'4081000002');
INSERT INTO "facet_bitmaps" VALUES('violation','Censored',X'001020');
INSERT INTO "facet_bitmaps" VALUES('violation','Detained',X'00440008');
INSERT INTO "facet_bitmaps" VALUES('violation','Killed',X'060006E0');
INSERT INTO "facet_bitmaps" VALUES('violation','Legal action',X'0000000101');
INSERT INTO "facet_bitmaps" VALUES('violation','Threatened',X'000040');
INSERT INTO "facet_bitmaps" VALUES('year','0',X'06');
INSERT INTO "facet_bitmaps" VALUES('year','2009',X'F80F');
INSERT INTO "facet_bitmaps" VALUES('year','2010',X'00F01F');
INSERT INTO "facet_bitmaps" VALUES('year','2011',X'0000E0FF');
INSERT INTO "facet_bitmaps" VALUES('year','2012',X'0000000007');
CREATE TABLE facet_counts (
    kind TEXT NOT NULL,
    value TEXT NOT NULL COLLATE NOCASE,
    year INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (kind, value, year)
) WITHOUT ROWID;
INSERT INTO "facet_counts" VALUES('all','',0,2);
INSERT INTO "facet_counts" VALUES('all','',2009,9);
INSERT INTO "facet_counts" VALUES('all','',2010,9);
INSERT INTO "facet_counts" VALUES('all','',2011,11);
INSERT INTO "facet_counts" VALUES('all','',2012,3);
INSERT INTO "facet_counts" VALUES('country','',2009,4);
INSERT INTO "facet_counts" VALUES('country','',2010,6);
INSERT INTO "facet_counts" VALUES('country','',2011,6);
INSERT INTO "facet_counts" VALUES('country','',2012,2);
INSERT INTO "facet_counts" VALUES('country','?Atlantis',2010,1);
INSERT INTO "facet_counts" VALUES('country','?Atlantis',2012,1);
INSERT INTO "facet_counts" VALUES('country','BD',2009,2);
INSERT INTO "facet_counts" VALUES('country','BR',2009,1);
INSERT INTO "facet_counts" VALUES('country','BR',2011,1);
INSERT INTO "facet_counts" VALUES('country','EC',2011,1);
INSERT INTO "facet_counts" VALUES('country','IQ',2012,1);
INSERT INTO "facet_counts" VALUES('country','MX',2011,1);
INSERT INTO "facet_counts" VALUES('country','NG',2011,1);
INSERT INTO "facet_counts" VALUES('country','PA',2011,1);
INSERT INTO "facet_counts" VALUES('country','PK',0,2);
INSERT INTO "facet_counts" VALUES('country','SO',2009,1);
INSERT INTO "facet_counts" VALUES('country','UG',2010,2);
INSERT INTO "facet_counts" VALUES('country','US',2009,1);
INSERT INTO "facet_counts" VALUES('region','Africa',2009,1);
INSERT INTO "facet_counts" VALUES('region','Africa',2010,2);
INSERT INTO "facet_counts" VALUES('region','Africa',2011,1);
INSERT INTO "facet_counts" VALUES('region','Americas',2009,2);
INSERT INTO "facet_counts" VALUES('region','Americas',2011,4);
INSERT INTO "facet_counts" VALUES('region','Asia & Pacific',0,2);
INSERT INTO "facet_counts" VALUES('region','Asia & Pacific',2009,2);
INSERT INTO "facet_counts" VALUES('region','Middle East & North Africa',2012,1);
INSERT INTO "facet_counts" VALUES('source','ARTICLE 19',2009,2);
INSERT INTO "facet_counts" VALUES('source','Committee to Protect Journalists',0,2);
INSERT INTO "facet_counts" VALUES('source','Committee to Protect Journalists',2011,3);
INSERT INTO "facet_counts" VALUES('source','Committee to Protect Journalists (CPJ)',2009,1);
INSERT INTO "facet_counts" VALUES('source','CPJ',2009,1);
INSERT INTO "facet_counts" VALUES('source','CPJ',2010,2);
INSERT INTO "facet_counts" VALUES('source','CPJ',2011,5);
INSERT INTO "facet_counts" VALUES('source','Freedom House',2010,1);
INSERT INTO "facet_counts" VALUES('source','HRNJ-Uganda',2010,1);
INSERT INTO "facet_counts" VALUES('source','IFLA',2012,1);
INSERT INTO "facet_counts" VALUES('source','IPI',2009,1);
INSERT INTO "facet_counts" VALUES('source','IPI',2010,1);
INSERT INTO "facet_counts" VALUES('source','PEN',2012,1);
INSERT INTO "facet_counts" VALUES('source','PEN American Center',2009,1);
INSERT INTO "facet_counts" VALUES('source','PEN American Center',2011,1);
INSERT INTO "facet_counts" VALUES('source','Reporters sans frontières',2011,1);
INSERT INTO "facet_counts" VALUES('source','RSF',2009,3);
INSERT INTO "facet_counts" VALUES('source','rsf',2010,3);
INSERT INTO "facet_counts" VALUES('source','The Zanzibar Press Club',2012,1);
INSERT INTO "facet_counts" VALUES('source','WiPC',2010,1);
INSERT INTO "facet_counts" VALUES('source','WiPC',2011,1);
INSERT INTO "facet_counts" VALUES('target','Journalist',0,2);
INSERT INTO "facet_counts" VALUES('target','Journalist',2009,4);
INSERT INTO "facet_counts" VALUES('target','Journalist',2010,5);
INSERT INTO "facet_counts" VALUES('target','Journalist',2011,6);
INSERT INTO "facet_counts" VALUES('target','Media outlet',2010,1);
INSERT INTO "facet_counts" VALUES('target','Media outlet',2011,1);
INSERT INTO "facet_counts" VALUES('target','Other',2009,4);
INSERT INTO "facet_counts" VALUES('target','Other',2010,1);
INSERT INTO "facet_counts" VALUES('target','Other',2011,2);
INSERT INTO "facet_counts" VALUES('target','Other',2012,1);
INSERT INTO "facet_counts" VALUES('target','Writer',2010,1);
INSERT INTO "facet_counts" VALUES('target','Writer',2011,1);
INSERT INTO "facet_counts" VALUES('violation','Attacked',2009,2);
INSERT INTO "facet_counts" VALUES('violation','Attacked',2010,1);
INSERT INTO "facet_counts" VALUES('violation','Attacked',2012,1);
INSERT INTO "facet_counts" VALUES('violation','Censored',2010,1);
INSERT INTO "facet_counts" VALUES('violation','Censored',2011,1);
INSERT INTO "facet_counts" VALUES('violation','Detained',2009,1);
INSERT INTO "facet_counts" VALUES('violation','Detained',2010,1);
INSERT INTO "facet_counts" VALUES('violation','Detained',2011,1);
INSERT INTO "facet_counts" VALUES('violation','Killed',0,2);
INSERT INTO "facet_counts" VALUES('violation','Killed',2010,2);
INSERT INTO "facet_counts" VALUES('violation','Killed',2011,3);
INSERT INTO "facet_counts" VALUES('violation','Legal action',2011,1);
INSERT INTO "facet_counts" VALUES('violation','Legal action',2012,1);
INSERT INTO "facet_counts" VALUES('violation','Threatened',2011,1);
CREATE TABLE "imports" (
   "pk" INTEGER PRIMARY KEY,
   "file" TEXT,
   "sha256" TEXT,
   "format" TEXT,
   "started" TEXT,
   "finished" TEXT,
   "read" INTEGER,
   "new" INTEGER,
   "updated" INTEGER,
   "unchanged" INTEGER,
   "rejected" INTEGER
);
INSERT INTO "imports" VALUES(1,'/work/main/tests/data/archive-schema3.feed.json','b681e742f4d2a61f1de31f4c6c7b68bc35632668945b407e8803f1c4bb11bd43','jsonfeed','2026-11-29T17:07:58+00:00','2026-11-29T17:07:58+00:00',34,34,0,0,0);
CREATE UNIQUE INDEX "idx_alerts_id"
    ON "alerts" ("id");
CREATE INDEX "idx_alerts_sort_date_pk"
    ON "alerts" ("sort_date", "pk");
CREATE INDEX "idx_alerts_year"
    ON "alerts" ("year");
CREATE INDEX alert_facets_alert ON alert_facets (alert);
CREATE VIRTUAL TABLE "alerts_fts" USING FTS5 (
    "title", "summary", "body_text", "tags", "source",
    tokenize='porter unicode61 remove_diacritics 2',
    content="alerts"
);
INSERT INTO alerts_fts (alerts_fts) VALUES ('rebuild');
PRAGMA user_version = 3;
COMMIT;
