import { termRoute } from "../../../components/TermPage";

const route = termRoute("keywords");
export const generateStaticParams = route.generateStaticParams;
export const generateMetadata = route.generateMetadata;
export default route.Page;
