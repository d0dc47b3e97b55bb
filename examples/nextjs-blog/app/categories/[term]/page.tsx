import { termRoute } from "../../../components/TermPage";

const route = termRoute("categories");
export const generateStaticParams = route.generateStaticParams;
export const generateMetadata = route.generateMetadata;
export default route.Page;
