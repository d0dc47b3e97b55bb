// The term's older posts, after a cursor.
export { default, generateMetadata, generateStaticParams } from "../page";
